import type { IDataObject } from 'n8n-workflow';

import { deliver, encrypted } from './helpers/webhook.cjs';
import { itemNameOf, namedAsInItems, triggerByClass, triggersUnderTest, WRITE_EXPECTED, writeExpectedItems } from './helpers/triggers.cjs';

const triggers = triggersUnderTest();

interface Nesting {
	field: string;
	renameEnvelopeFields?: Partial<Record<string, string>>;
}

/**
 * What the definition declares an item of a wrapped or split callback to be: the envelope's own
 * fields, renamed where it says so, beside the fields of the object nested in `field`.
 */
function besideEnvelope(envelope: IDataObject, { field, renameEnvelopeFields = {} }: Nesting, nested: IDataObject = {}): IDataObject {
	const envelopeFields = Object.entries(envelope).filter(([key]) => key !== field);
	return { ...Object.fromEntries(envelopeFields.map(([key, value]) => [renameEnvelopeFields[key] ?? key, value])), ...nested };
}

describe.each(triggers)('$className', ({ node, definition, fixtures, expectedColumns }) => {
	it('has at least one vendor payload fixture', () => {
		expect(fixtures.length).toBeGreaterThan(0);
	});

	describe.each(fixtures)('with the vendor payload $name', ({ name, body, expected }) => {
		it('emits exactly the expected items, columns in the expected order, from a plain JSON callback', async () => {
			const run = await deliver(node, { body: Buffer.from(body) });
			expect(run.status).toBeUndefined();
			expect(run.invalid).toEqual([]);
			const expectedItems = WRITE_EXPECTED ? writeExpectedItems(name, run.main) : expected;
			expect(run.main).toEqual(expectedItems);
			expect(run.main.map((item) => Object.keys(item))).toEqual(expectedItems.map((item) => Object.keys(item as IDataObject)));
		});

		it('starts every item with the expected columns, in order', async () => {
			const { columns } = expectedColumns;
			for (const item of (await deliver(node, { body })).main) {
				expect(Object.keys(item).slice(0, columns.length)).toEqual(columns);
			}
		});

		it('emits the same items when AIRudder encrypts the body and sends "Signed"', async () => {
			const run = await deliver(node, encrypted(body));
			expect(run.invalid).toEqual([]);
			expect(run.main).toEqual(expected);
		});

		it('emits the same items when the body arrives as a string', async () => {
			const run = await deliver(node, { body });
			expect(run.main).toEqual(expected);
		});

		it('reads n8n’s parsed body when the raw bytes are missing and no signature is required', async () => {
			const run = await deliver(node, { body: null, parsedBody: JSON.parse(body) });
			expect(run.main).toEqual(expected);
		});

		it('keeps every field with its nesting, only type-coerced, when Simplify is off, and adds schema_mismatch and the same delivery_key', async () => {
			const received = namedAsInItems(JSON.parse(body) as IDataObject);
			const run = await deliver(node, { body, parameters: { simplify: false } });
			const { unwrap, split } = definition;
			const unwrapped = unwrap && { ...unwrap, field: itemNameOf(unwrap.field, JSON.parse(body)[unwrap.field]) };
			const payload = unwrapped ? besideEnvelope(received, unwrapped, received[unwrapped.field] as IDataObject) : received;
			const entries = (split ? payload[split.field] : [undefined]) as Array<IDataObject | undefined>;
			expect(run.main).toHaveLength(entries.length);
			run.main.forEach((item, index) => {
				const fields = split ? besideEnvelope(payload, split, entries[index]) : payload;
				const keys = [...Object.keys(fields).map((key) => definition.fieldAliases?.[key] ?? key), 'schema_mismatch', 'delivery_key'];
				// Compared as n8n stores the item: JSON, where a field the callback left out has no key.
				expect(Object.keys(JSON.parse(JSON.stringify(item))).sort()).toEqual([...new Set(keys)].sort());
				expect(item.schema_mismatch).toBeNull();
				expect(item.delivery_key).toBe((expected[index] as IDataObject).delivery_key);
			});
		});

		it('keeps fields AIRudder adds that the schema does not know', async () => {
			const payload = { ...JSON.parse(body), country_extra_field: 'kept' };
			const run = await deliver(node, { body: JSON.stringify(payload) });
			expect(run.main.length).toBeGreaterThan(0);
			for (const item of run.main) expect(item.country_extra_field).toBe('kept');
		});
	});

	it('accepts its own sample payload', async () => {
		const run = await deliver(node, { body: JSON.stringify(definition.sample) });
		expect(run.invalid).toEqual([]);
		expect(run.main.length).toBeGreaterThan(0);
	});
});

describe('"One Item per Callback"', () => {
	const grouping = triggers.filter(({ definition }) => definition.split);
	const single = triggers.filter(({ definition }) => !definition.split);

	it('is offered by exactly the callbacks that group several calls', () => {
		expect(grouping.map(({ className }) => className).sort()).toEqual([
			'AirudderInboundCallSuccessTrigger',
			'AirudderTaskCallEndedTrigger',
			'AirudderWorkflowCallCompletedTrigger',
		]);
	});

	/** A digest of the keys of the callback's calls, the same whenever AIRudder resends it. */
	const callbackDeliveryKeys: Record<string, string> = {
		'inbound-call-success/intent-graded': 'SPxvCj24G0MtYHXCbapxjc',
		'task-call-ended/example': 'WG-N1RtBh9ffnqeCfslLtt',
		'workflow-call-completed/info-check': 'Bz8CQvp7m0MJCAPDERi6iz',
	};

	describe.each(grouping)('$className, whose callback groups several calls', ({ node, fixtures }) => {
		it.each(fixtures)('emits the whole callback $name as one item, with schema_mismatch and its delivery_key', async ({ name, body }) => {
			const run = await deliver(node, { body, parameters: { outputMode: 'perCallback' } });
			expect(run.main).toEqual([{ ...namedAsInItems(JSON.parse(body)), schema_mismatch: null, delivery_key: callbackDeliveryKeys[name] }]);
		});
	});

	describe.each(single)('$className, whose callback is one call or event', ({ node, fixtures }) => {
		it('offers no "Output" choice', () => {
			expect(node.description.properties.map(({ name }) => name)).not.toContain('outputMode');
		});

		it.each(fixtures)('emits its usual items for $name, whatever Output a workflow has stored', async ({ body, expected }) => {
			const run = await deliver(node, { body, parameters: { outputMode: 'perCallback' } });
			expect(run.main).toEqual(expected);
		});
	});
});

describe('Workflow Call Completed', () => {
	const { node, fixtures } = triggerByClass('AirudderWorkflowCallCompletedTrigger');
	const infoCheck = JSON.parse(fixtures[0].body) as IDataObject & { details: IDataObject[] };

	it('turns each call of an aggregated callback into its own item with the task fields', async () => {
		const second = { ...infoCheck.details[0], call_id: 'second-call', callee: '+620000000002' };
		const run = await deliver(node, { body: JSON.stringify({ ...infoCheck, details: [infoCheck.details[0], second] }) });
		expect(run.main.map((item) => item.call_id)).toEqual([infoCheck.details[0].call_id, 'second-call']);
		for (const item of run.main) {
			expect(item.task_id).toBe(infoCheck.task_id);
			expect(item.workflow_name).toBe(infoCheck.workflow_name);
		}
	});

	it('keeps both robot hashes: the task’s as task_robot_hash, the call’s as robot_hash', async () => {
		const run = await deliver(node, { body: fixtures[0].body });
		expect(run.main[0].task_robot_hash).toBe(infoCheck.robot_hash);
		expect(run.main[0].robot_hash).toBe(infoCheck.details[0].robot_hash);
	});

	it('accepts the Collection/Marketing variant, without question answers, with the same columns', async () => {
		const { question_answer: _omitted, ...collectionCall } = infoCheck.details[0];
		const run = await deliver(node, { body: JSON.stringify({ ...infoCheck, details: [collectionCall] }) });
		expect(run.invalid).toEqual([]);
		expect(run.main[0].call_id).toBe(infoCheck.details[0].call_id);
		expect(run.main[0].question_answer).toBeNull();
		expect(Object.keys(run.main[0])).toEqual(Object.keys(fixtures[0].expected[0] as IDataObject));
	});

	it('still emits the task when a callback has no calls in details', async () => {
		const run = await deliver(node, { body: JSON.stringify({ ...infoCheck, details: [] }) });
		expect(run.main).toHaveLength(1);
		expect(run.main[0].task_id).toBe(infoCheck.task_id);
	});

	it('converts account-local times with the chosen AIRudder time zone', async () => {
		const run = await deliver(node, {
			body: fixtures[0].body,
			parameters: { additionalOptions: { accountTimeZone: 'America/Mexico_City' } },
		});
		expect(run.main[0].call_start_time_iso).toBe('2024-03-11T13:24:29-06:00');
	});

	it('coerces numbers AIRudder sends as text', async () => {
		const call = { ...infoCheck.details[0], duration: '43', talk_round: '' };
		const run = await deliver(node, { body: JSON.stringify({ ...infoCheck, details: [call] }) });
		expect(run.main[0].duration).toBe(43);
		expect(run.main[0].talk_round).toBeNull();
	});
});

describe('Inbound Transfer to Agent Succeeded', () => {
	const { node, fixtures } = triggerByClass('AirudderInboundTransferSucceededTrigger');

	it('emits duration as a number although AIRudder documents it as text', async () => {
		const payload = { ...JSON.parse(fixtures[0].body), duration: '205' };
		const run = await deliver(node, { body: JSON.stringify(payload) });
		expect(run.main[0].duration).toBe(205);
	});

	it('reads its times as UTC whatever the account time zone', async () => {
		const run = await deliver(node, { body: fixtures[0].body, timezone: 'Asia/Bangkok' });
		expect(run.main[0].call_start_time_iso).toBe('2024-02-01T10:02:14Z');
	});
});

describe('Inbound Call Success', () => {
	const { node, fixtures } = triggerByClass('AirudderInboundCallSuccessTrigger');

	it('splits data[] into one item per answered call, each with count', async () => {
		const payload = JSON.parse(fixtures[0].body);
		const second = { ...payload.data[0], callid: 'second' };
		const run = await deliver(node, { body: JSON.stringify({ count: 2, data: [payload.data[0], second] }) });
		expect(run.main.map((item) => [item.callid, item.count])).toEqual([
			[payload.data[0].callid, 2],
			['second', 2],
		]);
	});
});

describe('Workflow Chatbot Session Ended', () => {
	const { node, fixtures } = triggerByClass('AirudderWorkflowChatbotSessionEndedTrigger');

	it('accepts message kinds the schema does not know yet', async () => {
		const payload = JSON.parse(fixtures[0].body);
		payload.messages.push({ msg_id: 'v1', sender_type: 'user', timestamp: 1720160400, status: 'read', content: { type: 'sticker', sticker: { id: 'x' } } });
		const run = await deliver(node, { body: JSON.stringify(payload) });
		expect(run.invalid).toEqual([]);
		expect(String(run.main[0].messages).split('\n').pop()).toBe('2024-07-05T06:20:00.000Z user: [sticker]');
	});
});
