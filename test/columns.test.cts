/**
 * The columns of the simplified output: every item of one callback has the same columns in the
 * same order (the core fields, the output schema's other columns in schema order, then any other
 * field in the order the calls first carry it), null where a call lacks one, so rows appended to a
 * sheet line up and n8n's field mapping shows every column from the first item. Each trigger's
 * columns are reviewed in test/fixtures/<webhook path>/columns.expected.json, which `npm run
 * fixtures` writes from the output schema; the schema and the items are both checked against it.
 */
import type { IDataObject } from 'n8n-workflow';

import { outputColumnsOf, outputSchemaOf } from '../nodes/Airudder/output/outputSchema';

import { triggerByClass, triggersUnderTest, WRITE_EXPECTED, writeExpectedColumns } from './helpers/triggers.cjs';
import { deliver } from './helpers/webhook.cjs';

const triggers = triggersUnderTest();

describe('a Workflow Call Completed callback whose three calls carry different fields', () => {
	const { node, fixtures, expectedColumns } = triggerByClass('AirudderWorkflowCallCompletedTrigger');
	const [{ body, expected }] = fixtures;
	const infoCheck = JSON.parse(body) as IDataObject & { details: IDataObject[] };
	const [infoCheckCall] = infoCheck.details;
	// A Collection robot's call: no question answers, no slots, variables of its own.
	const { question_answer: _answers, NerSlots: _slots, ...collectionCall } = infoCheckCall;
	const calls = [
		infoCheckCall,
		{ ...collectionCall, call_id: 'collection-call', Variables: { branch: 'Jakarta' } },
		{ ...infoCheckCall, call_id: 'call-with-a-new-field', country_extra_field: 'kept' },
	];
	const schemaColumns = expectedColumns.columns;
	const firstCallExtras = Object.keys(expected[0] as IDataObject).filter((column) => !schemaColumns.includes(column));
	let items: IDataObject[];

	beforeAll(async () => {
		items = (await deliver(node, { body: JSON.stringify({ ...infoCheck, details: calls }) })).main;
	});

	it('gives all three items the same columns in the same order', () => {
		expect(items).toHaveLength(3);
		const [first, ...others] = items.map((item) => Object.keys(item));
		for (const columns of others) expect(columns).toEqual(first);
	});

	it('starts with every column of the output schema, in schema order, whether a call has it or not', () => {
		expect(Object.keys(items[1]).slice(0, schemaColumns.length)).toEqual(schemaColumns);
	});

	it('follows with the fields the schema does not know, in the order the calls first carry them', () => {
		expect(Object.keys(items[0]).slice(schemaColumns.length)).toEqual([...firstCallExtras, 'Variables_branch', 'country_extra_field']);
	});

	it('fills null where a call lacks a column', () => {
		expect(items[1]).toMatchObject({ question_answer: null, NerSlots_PaymentMethod: null, Variables_DoB: null });
		expect(items[0]).toMatchObject({ Variables_branch: null, country_extra_field: null });
	});

	it('keeps every value a call carries', () => {
		expect(items[0]).toEqual({ ...(expected[0] as IDataObject), Variables_branch: null, country_extra_field: null });
		expect(items[1].Variables_branch).toBe('Jakarta');
		expect(items[2].country_extra_field).toBe('kept');
	});
});

describe('a callback with guaranteed (core) fields', () => {
	it.each([
		['AirudderPredictiveDialerTrigger', ['event']],
		['AirudderChatbotMessageStatusTrigger', ['callee_number', 'status']],
		['AirudderWorkflowWabaMessageStatusTrigger', ['workflow_id', 'status']],
	])('%s: items start with %j', async (className, core) => {
		const { node, definition, fixtures } = triggerByClass(className);
		expect(Object.keys(outputSchemaOf(definition).properties ?? {}).slice(0, core.length)).toEqual(core);
		for (const item of (await deliver(node, { body: fixtures[0].body })).main) {
			expect(Object.keys(item).slice(0, core.length)).toEqual(core);
		}
	});
});

describe('a callback that leaves out fields the schema knows', () => {
	it('still has their columns, null: an AgentStatus event has no phone number', async () => {
		const { node, fixtures } = triggerByClass('AirudderPredictiveDialerTrigger');
		const agentEvent = fixtures.find(({ name }) => name.endsWith('/agent-status'))!;
		const [item] = (await deliver(node, { body: agentEvent.body })).main;
		expect(item).toMatchObject({ event: 'AgentStatus', phoneNumber: null, hangupReason: null, hangupReason_text: null });
	});
});

describe('a callback whose every call carries a field no other call has', () => {
	it('is not padded to calls × fields cells, which could exhaust n8n’s memory: each call keeps its own', async () => {
		const { node, fixtures } = triggerByClass('AirudderWorkflowCallCompletedTrigger');
		const infoCheck = JSON.parse(fixtures[0].body) as IDataObject & { details: IDataObject[] };
		const details = Array.from({ length: 2000 }, (_, index) => ({ ...infoCheck.details[0], call_id: `call-${index}`, [`own_field_${index}`]: index }));
		const items = (await deliver(node, { body: JSON.stringify({ ...infoCheck, details }) })).main;
		expect(items).toHaveLength(2000);
		expect(items[1].own_field_1).toBe(1);
		expect(items[1]).not.toHaveProperty('own_field_0');
	});
});

describe.each(triggers)('$className’s output schema, which the editor offers before the first callback', ({ definition, expectedColumns }) => {
	it('promises exactly the expected columns', () => {
		const { core, dynamicPrefixes } = outputColumnsOf(definition);
		const promised = { columns: Object.keys(outputSchemaOf(definition).properties ?? {}), guaranteed: core, columnPerKeyOf: dynamicPrefixes };
		expect(promised).toEqual(WRITE_EXPECTED ? writeExpectedColumns(definition.webhookPath, promised) : expectedColumns);
	});
});

describe('every column a trigger emits, on every vendor payload', () => {
	const fixtureCases = triggers.flatMap(({ className, node, fixtures, expectedColumns }) =>
		fixtures.map((fixture) => ({ className, fixture: fixture.name, node, expectedColumns, body: fixture.body })),
	);

	it('covers every trigger', () => {
		expect(new Set(fixtureCases.map(({ className }) => className))).toEqual(new Set(triggers.map(({ className }) => className)));
	});

	it.each(fixtureCases)('$className, $fixture: every item starts with all the expected columns and adds only columns of its free-form fields', async ({ node, expectedColumns, body }) => {
		const { columns: expected, columnPerKeyOf } = expectedColumns;
		const { main } = await deliver(node, { body });
		expect(main.length).toBeGreaterThan(0);
		for (const item of main) {
			const columns = Object.keys(item);
			expect(columns.slice(0, expected.length)).toEqual(expected);
			const undocumented = columns
				.slice(expected.length)
				.filter((column) => !columnPerKeyOf.some((field) => column.startsWith(`${field}_`)));
			expect(undocumented).toEqual([]);
		}
	});
});

describe('the node’s own columns', () => {
	it('are in every output schema: schema_mismatch always, the recording columns where recordings can be downloaded', () => {
		for (const { definition } of triggers) {
			const columns = Object.keys(outputSchemaOf(definition).properties ?? {});
			expect(columns).toContain('schema_mismatch');
			expect(columns.includes('recording_status') && columns.includes('recording_error')).toBe(definition.recordings !== undefined);
		}
		expect(triggers.filter(({ definition }) => definition.recordings).length).toBeGreaterThan(0);
	});

	it('say in schema_mismatch how a callback differs from its format, in the same place as on a callback that matches', async () => {
		const { node, definition } = triggerByClass('AirudderTaskEndedTrigger');
		const matching = (await deliver(node, { body: JSON.stringify(definition.sample) })).main[0];
		const differing = (await deliver(node, { body: JSON.stringify({ ...definition.sample, repeat_number: 'three' }) })).main[0];
		expect(matching.schema_mismatch).toBeNull();
		expect(differing.schema_mismatch).toBe('repeat_number is "three": AIRudder should send a number.');
		expect(Object.keys(differing)).toEqual(Object.keys(matching));
	});
});
