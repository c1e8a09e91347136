import type { CallbackDefinition } from '../nodes/Airudder/vocabulary/definition';
import { simplifyItem, splitIntoItems } from '../nodes/Airudder/output/items';
import { decodeLiteralEscapes, entryAsText } from '../nodes/Airudder/vocabulary/text';
import { z } from '../nodes/Airudder/vocabulary/schemaKit';

const definition: CallbackDefinition = {
	nodeName: 'exampleTrigger',
	displayName: 'Example Trigger',
	vendorName: { en: 'Example', zh: '示例' },
	description: 'Example',
	webhookPath: 'example',
	outputName: 'Calls',
	itemNoun: 'call',
	schema: z.looseObject({}),
	split: { field: 'calls', renameEnvelopeFields: { robot: 'task_robot' } },
	timeFields: { started: 'accountLocal', at: 'epoch' },
	sample: {},
};

describe('Simplify', () => {
	it('decodes literal \\uXXXX and \\n escapes, including surrogate pairs', () => {
		expect(decodeLiteralEscapes('\\u610f\\u613f Check')).toBe('意愿 Check');
		expect(decodeLiteralEscapes('\\ud83d\\udc49 next\\nline')).toBe('👉 next\nline');
		expect(decodeLiteralEscapes('C:\\path')).toBe('C:\\path');
	});

	it('names a nested field that clashes with a top-level one <parent>__<field>, in any key order', () => {
		for (const item of [
			{ user_id: 'top', user: { id: 'nested' } },
			{ user: { id: 'nested' }, user_id: 'top' },
		]) {
			expect(simplifyItem(definition, item, 'UTC')).toEqual({ user_id: 'top', user__id: 'nested', schema_mismatch: null, delivery_key: null });
		}
	});

	it('adds ISO twins right after each time field, null when there is no time; the node’s own columns come before fields the schema does not know', () => {
		const simplified = simplifyItem(definition, { started: '2024-03-11 13:19:52', at: 1744699269, other: 1 }, 'Asia/Jakarta');
		expect(Object.entries(simplified)).toEqual([
			['schema_mismatch', null],
			['delivery_key', null],
			['started', '2024-03-11 13:19:52'],
			['started_iso', '2024-03-11T13:19:52+07:00'],
			['at', 1744699269],
			['at_iso', '2025-04-15T06:41:09.000Z'],
			['other', 1],
		]);
		expect(simplifyItem(definition, { started: '' }, 'UTC')).toEqual({ started: '', started_iso: null, schema_mismatch: null, delivery_key: null });
	});

	it('writes lists of objects one entry per line, skipping empty values', () => {
		expect(entryAsText({ call_id: 'a', ring_time: 3, note: '', extra: null })).toBe('call_id: a; ring_time: 3');
		expect(simplifyItem(definition, { slots: [{}, { city: 'Jakarta' }], tags: ['a', 'b'] }, 'UTC')).toEqual({
			slots: 'city: Jakarta',
			tags: 'a\nb',
			schema_mismatch: null,
			delivery_key: null,
		});
	});
});

describe('splitting aggregated callbacks', () => {
	it('gives each entry the envelope, renaming envelope fields the entries also have', () => {
		const items = splitIntoItems(definition, { task: 't', robot: 'r0', calls: [{ id: 1, robot: 'r1' }, { id: 2, robot: 'r2' }] });
		expect(items).toEqual([
			{ task: 't', task_robot: 'r0', id: 1, robot: 'r1' },
			{ task: 't', task_robot: 'r0', id: 2, robot: 'r2' },
		]);
	});

	it('keeps the envelope as one item when there are no entries', () => {
		expect(splitIntoItems(definition, { task: 't', calls: [] })).toEqual([{ task: 't' }]);
	});
});
