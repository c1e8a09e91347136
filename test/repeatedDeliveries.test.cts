/**
 * "Ignore Repeated Deliveries": AIRudder delivers a callback again when it believes the first
 * attempt failed. With the option on, a repeat starts nothing and is still answered 200, so
 * AIRudder stops retrying. What counts as a repeat is the item's call id and event; an item
 * lacking them is compared as a whole, so two different items are never merged.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { MAX_REMEMBERED_DELIVERIES } from '../nodes/Airudder/limits';
import { deliveryIdentity, deliveryKeyOf, skipRepeatedDeliveries } from '../nodes/Airudder/output/repeatedDeliveries';
import { triggerByClass } from './helpers/triggers.cjs';
import { deliver, encrypted } from './helpers/webhook.cjs';

const workflowCalls = triggerByClass('AirudderWorkflowCallCompletedTrigger');
const dialer = triggerByClass('AirudderPredictiveDialerTrigger');
const statusChanges = triggerByClass('AirudderWorkflowStatusChangedTrigger');

const ignoreRepeats = { additionalOptions: { ignoreRepeatedDeliveries: true } };

/** Delivers the bodies in turn to one node with one memory; how many items each delivery gave. */
async function itemsPerDelivery(node: INodeType, bodies: string[]): Promise<number[]> {
	const staticData: IDataObject = {};
	const counts: number[] = [];
	for (const body of bodies) {
		counts.push((await deliver(node, { body, staticData, parameters: ignoreRepeats })).main.length);
	}
	return counts;
}

function callbackWithCalls(...callIds: string[]): string {
	const sample = workflowCalls.definition.sample as IDataObject & { details: IDataObject[] };
	return JSON.stringify({ ...sample, details: callIds.map((call_id) => ({ ...sample.details[0], call_id })) });
}

describe('Ignore Repeated Deliveries', () => {
	it('is off by default: a repeat starts the workflow again', async () => {
		const staticData: IDataObject = {};
		const body = callbackWithCalls('call-1');
		const first = await deliver(workflowCalls.node, { body, staticData });
		const again = await deliver(workflowCalls.node, { body, staticData });
		expect(first.main).toHaveLength(1);
		expect(again.main).toHaveLength(1);
		expect(staticData).toEqual({});
	});

	it('drops a repeat, answers it 200 and says why', async () => {
		const staticData: IDataObject = {};
		const body = callbackWithCalls('call-1');
		const first = await deliver(workflowCalls.node, { body, staticData, parameters: ignoreRepeats });
		const again = await deliver(workflowCalls.node, { body, staticData, parameters: ignoreRepeats });
		expect(first.main.map((item) => item.call_id)).toEqual(['call-1']);
		// Answered by the node itself, so n8n saves the memory before it sets up the execution.
		expect(first).toMatchObject({ status: 200, responseBody: { message: 'Workflow was started' }, result: { noWebhookResponse: true } });
		expect(again.result).toEqual({ noWebhookResponse: true });
		expect(again.status).toBe(200);
		expect(again.responseBody).toEqual({ message: 'Received before; this repeated delivery was ignored' });
	});

	it('recognises a repeat whether it arrives encrypted or in plain text', async () => {
		const staticData: IDataObject = {};
		const body = callbackWithCalls('call-1');
		await deliver(workflowCalls.node, { body, staticData, parameters: ignoreRepeats });
		const again = await deliver(workflowCalls.node, { ...encrypted(body), staticData, parameters: ignoreRepeats });
		expect(again.main).toEqual([]);
	});

	it('keeps only the new calls of a batch that mixes new and repeated ones', async () => {
		const staticData: IDataObject = {};
		await deliver(workflowCalls.node, { body: callbackWithCalls('call-1', 'call-2'), staticData, parameters: ignoreRepeats });
		const mixed = await deliver(workflowCalls.node, {
			body: callbackWithCalls('call-2', 'call-3'),
			staticData,
			parameters: ignoreRepeats,
		});
		expect(mixed.main.map((item) => item.call_id)).toEqual(['call-3']);
	});

	it('keys on the event too: the same dialer call in two states is two deliveries', async () => {
		const sample = dialer.definition.sample as IDataObject & { body: IDataObject };
		const ringing = JSON.stringify({ ...sample, body: { ...sample.body, state: 'ringing' } });
		const answered = JSON.stringify({ ...sample, body: { ...sample.body, state: 'answered' } });
		await expect(itemsPerDelivery(dialer.node, [ringing, answered, ringing])).resolves.toEqual([1, 1, 0]);
	});

	it('compares items without a call id as a whole, so different contents are both kept', async () => {
		const sample = statusChanges.definition.sample;
		const paused = JSON.stringify({ ...sample, status: 'paused' });
		const resumed = JSON.stringify({ ...sample, status: 'running' });
		await expect(itemsPerDelivery(statusChanges.node, [paused, resumed, paused])).resolves.toEqual([1, 1, 0]);
	});

	it('never drops a filtered-out item’s later genuine match, and says "filters" when filters removed all', async () => {
		const staticData: IDataObject = {};
		const body = callbackWithCalls('call-1');
		const filtered = await deliver(workflowCalls.node, {
			body,
			staticData,
			parameters: { ...ignoreRepeats, filters: { resultLabels: 'nothing-matches' } },
		});
		expect(filtered.responseBody).toEqual({ message: expect.stringContaining('filters') });
		const unfiltered = await deliver(workflowCalls.node, { body, staticData, parameters: ignoreRepeats });
		expect(unfiltered.main).toHaveLength(1);
	});

	it('never sends an invalid callback away as a repeat', async () => {
		const staticData: IDataObject = {};
		const runs = [];
		for (let attempt = 0; attempt < 2; attempt += 1) {
			runs.push(await deliver(workflowCalls.node, { body: '{"details": "not a list"', staticData, parameters: ignoreRepeats }));
		}
		expect(runs.map((run) => run.invalid.length)).toEqual([1, 1]);
	});
});

describe('the delivery memory', () => {
	const definition = workflowCalls.definition;
	const call = (call_id: string): IDataObject => ({ call_id, duration: 3 });

	it('keys on the declared fields, so a retry with another timestamp is still a repeat', () => {
		expect(deliveryIdentity(definition, { call_id: 'a', timestamp: 1 })).toBe(deliveryIdentity(definition, { call_id: 'a', timestamp: 2 }));
		expect(deliveryIdentity(definition, { call_id: 'a' })).not.toBe(deliveryIdentity(definition, { call_id: 'b' }));
	});

	it('falls back to the whole item when a key field is missing or empty', () => {
		expect(deliveryIdentity(definition, { call_id: '', duration: 1 })).not.toBe(deliveryIdentity(definition, { call_id: '', duration: 2 }));
		expect(deliveryIdentity(definition, { duration: 1 })).toBe(deliveryIdentity(definition, { duration: 1 }));
	});

	it('forgets deliveries older than the chosen hours', () => {
		const memory = {};
		const start = new Date('2026-11-21T00:00:00Z');
		expect(skipRepeatedDeliveries(definition, memory, start, 2)(call('a'))).toBe(true);
		const later = new Date(start.getTime() + 90 * 60_000);
		expect(skipRepeatedDeliveries(definition, memory, later, 2)(call('a'))).toBe(false);
		const muchLater = new Date(start.getTime() + 3 * 3600_000);
		expect(skipRepeatedDeliveries(definition, memory, muchLater, 2)(call('a'))).toBe(true);
	});

	it(`holds at most ${MAX_REMEMBERED_DELIVERIES} deliveries, forgetting the oldest first`, () => {
		const memory: Record<string, number> = {};
		const now = new Date('2026-11-21T00:00:00Z');
		const isNew = skipRepeatedDeliveries(definition, memory, now, 24);
		for (let index = 0; index <= MAX_REMEMBERED_DELIVERIES; index += 1) isNew(call(`call-${index}`));
		expect(skipRepeatedDeliveries(definition, memory, now, 24)(call('call-0'))).toBe(true);
		expect(Object.keys(memory)).toHaveLength(MAX_REMEMBERED_DELIVERIES);
		expect(skipRepeatedDeliveries(definition, memory, now, 24)(call(`call-${MAX_REMEMBERED_DELIVERIES}`))).toBe(false);
	});
});

/**
 * Every item carries its delivery key in `delivery_key`, so a Google Sheets "Append or Update Row"
 * or a Data Table upsert matched on it writes one row per call, however often AIRudder resends.
 */
describe('the delivery_key column', () => {
	it('is the call id when the call id alone identifies a delivery', async () => {
		const run = await deliver(workflowCalls.node, { body: callbackWithCalls('call-1', 'call-2') });
		expect(run.main.map((item) => item.delivery_key)).toEqual(['call-1', 'call-2']);
	});

	it('is the same with Simplify off and on a resent, encrypted copy', async () => {
		const body = callbackWithCalls('call-1');
		const unsimplified = await deliver(workflowCalls.node, { body, parameters: { simplify: false } });
		const resent = await deliver(workflowCalls.node, encrypted(body));
		expect(unsimplified.main.map((item) => item.delivery_key)).toEqual(['call-1']);
		expect(resent.main.map((item) => item.delivery_key)).toEqual(['call-1']);
	});

	it('joins the key fields with | in the declared order: the dialer call, its event, state and time', async () => {
		const sample = dialer.definition.sample as IDataObject & { body: IDataObject };
		const answered = JSON.stringify({ type: 'ContactStatus', body: { ...sample.body, callid: 'pds-1', state: 'ANSWERED', timestamp: 1744699269123 } });
		const run = await deliver(dialer.node, { body: answered });
		expect(run.main.map((item) => item.delivery_key)).toEqual(['pds-1|ContactStatus|ANSWERED|1744699269123']);
	});

	it('escapes | and \\ inside a value, so two different calls never share a key', () => {
		const definition = dialer.definition;
		const split = { callid: 'a|b', event: 'c', state: 'd', timestamp: 1 };
		const shifted = { callid: 'a', event: 'b|c', state: 'd', timestamp: 1 };
		expect(deliveryKeyOf(definition, split)).toBe('a\\|b|c|d|1');
		expect(deliveryKeyOf(definition, shifted)).toBe('a|b\\|c|d|1');
	});

	it('is a 22-character digest of the whole item when a key field is missing, the same on a resend', async () => {
		const sample = JSON.stringify(statusChanges.definition.sample);
		const [first, again] = [await deliver(statusChanges.node, { body: sample }), await deliver(statusChanges.node, { body: sample })];
		expect(first.main[0].delivery_key).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(again.main[0].delivery_key).toBe(first.main[0].delivery_key);
		expect(deliveryKeyOf(workflowCalls.definition, { duration: 1 })).not.toBe(deliveryKeyOf(workflowCalls.definition, { duration: 2 }));
	});
});
