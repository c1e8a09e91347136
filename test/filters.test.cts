/**
 * Filters and inferred schemas: what reaches the main output, what goes to "Invalid", and what
 * starts nothing at all. A filtered-out callback is genuine, so AIRudder still gets 200.
 */
import type { IDataObject } from 'n8n-workflow';

import { expectedColumnsOf, namedAsInItems, triggerByClass, triggersUnderTest } from './helpers/triggers.cjs';
import { deliver } from './helpers/webhook.cjs';

const workflowCalls = triggerByClass('AirudderWorkflowCallCompletedTrigger');
const dialer = triggerByClass('AirudderPredictiveDialerTrigger');
const chatSessions = triggerByClass('AirudderChatbotSessionEndedTrigger');
const inferred = triggersUnderTest().filter(({ definition }) => definition.inferred);

function callbackWithCalls(...calls: IDataObject[]): string {
	const sample = workflowCalls.definition.sample as IDataObject & { details: IDataObject[] };
	return JSON.stringify({ ...sample, details: calls.map((call) => ({ ...sample.details[0], ...call })) });
}

function expectFilteredOut(run: Awaited<ReturnType<typeof deliver>>) {
	expect(run.status).toBe(200);
	expect(run.result).toEqual({ noWebhookResponse: true });
	expect(run.responseBody).toEqual({ message: expect.stringContaining('filters') });
}

describe('filters', () => {
	const connected = { call_id: 'talked', duration: 43, result_label: 'PTP', hangup_type: 'ByCallee' };
	const unanswered = { call_id: 'no-answer', duration: 0, result_label: 'F', hangup_type: 'Canceled' };

	it('keeps every call when no filter is set', async () => {
		const run = await deliver(workflowCalls.node, { body: callbackWithCalls(connected, unanswered) });
		expect(run.main.map((item) => item.call_id)).toEqual(['talked', 'no-answer']);
	});

	it('keeps only connected calls with "Connected Calls Only"', async () => {
		const run = await deliver(workflowCalls.node, {
			body: callbackWithCalls(connected, unanswered),
			parameters: { filters: { connectedOnly: true } },
		});
		expect(run.main.map((item) => item.call_id)).toEqual(['talked']);
	});

	it('matches result labels typed as a list, ignoring case and spaces', async () => {
		const run = await deliver(workflowCalls.node, {
			body: callbackWithCalls(connected, unanswered),
			parameters: { filters: { resultLabels: ' ptp , A' } },
		});
		expect(run.main.map((item) => item.call_id)).toEqual(['talked']);
	});

	it('matches hang-up types chosen from the list', async () => {
		const run = await deliver(workflowCalls.node, {
			body: callbackWithCalls(connected, unanswered),
			parameters: { filters: { hangupTypes: ['Canceled'] } },
		});
		expect(run.main.map((item) => item.call_id)).toEqual(['no-answer']);
	});

	it('requires every filter that is set to match', async () => {
		const run = await deliver(workflowCalls.node, {
			body: callbackWithCalls(connected, unanswered),
			parameters: { filters: { connectedOnly: true, hangupTypes: ['Canceled'] } },
		});
		expectFilteredOut(run);
	});

	it('answers 200 and starts no execution when no call is left', async () => {
		const run = await deliver(workflowCalls.node, {
			body: callbackWithCalls(unanswered),
			parameters: { filters: { connectedOnly: true } },
		});
		expectFilteredOut(run);
	});

	it('keeps the whole callback in "One Item per Callback" mode when one of its calls matches', async () => {
		const body = callbackWithCalls(connected, unanswered);
		const run = await deliver(workflowCalls.node, {
			body,
			parameters: { outputMode: 'perCallback', filters: { connectedOnly: true } },
		});
		expect(run.main).toEqual([{ ...namedAsInItems(JSON.parse(body)), schema_mismatch: null, delivery_key: 'v7znJ1WzrD_zznqRY47ZH9' }]);
	});

	it('filters chat sessions by how they ended', async () => {
		const body = JSON.stringify(chatSessions.definition.sample);
		expect((await deliver(chatSessions.node, { body, parameters: { filters: { endReasons: ['user'] } } })).main).toHaveLength(1);
		expectFilteredOut(await deliver(chatSessions.node, { body, parameters: { filters: { endReasons: ['expire'] } } }));
	});

	it('never filters the Invalid output', async () => {
		const run = await deliver(workflowCalls.node, { body: 'not json', parameters: { filters: { connectedOnly: true } } });
		expect(run.invalid).toHaveLength(1);
	});
});

describe('predictive dialer: three events on one URL', () => {
	const event = (type: string, body: IDataObject) => JSON.stringify({ type, body });

	it('says which event each item is, and spells the state one way', async () => {
		const agent = await deliver(dialer.node, { body: event('AgentStatus', { agentName: 'a1', State: 'ANSWERED' }) });
		const contact = await deliver(dialer.node, { body: event('ContactStatus', { callid: 'c1', state: 'HANGUP' }) });
		expect(agent.main).toEqual([expect.objectContaining({ event: 'AgentStatus', state: 'ANSWERED' })]);
		expect(agent.main[0]).not.toHaveProperty('State');
		expect(contact.main).toEqual([expect.objectContaining({ event: 'ContactStatus', state: 'HANGUP' })]);
	});

	it('gives the hang-up reason as code and text, and the millisecond timestamp as ISO time', async () => {
		const run = await deliver(dialer.node, { body: event('ContactStatus', { hangupReason: 3, timestamp: 1744699269123 }) });
		expect(run.main[0]).toMatchObject({
			hangupReason: 3,
			hangupReason_text: 'Busy',
			timestamp_iso: '2025-04-15T06:41:09.123Z',
		});
	});

	it('names an undocumented hang-up code instead of guessing', async () => {
		const run = await deliver(dialer.node, { body: event('ContactStatus', { hangupReason: 99 }) });
		expect(run.main[0].hangupReason_text).toBe('Unknown code 99');
	});

	it('filters by event, and answers 200 for the events left out', async () => {
		const parameters = { filters: { events: ['ContactStatus'] } };
		expect((await deliver(dialer.node, { body: event('ContactStatus', { callid: 'c1' }), parameters })).main).toHaveLength(1);
		expectFilteredOut(await deliver(dialer.node, { body: event('TaskStatus', { taskId: 't1', state: 'Finished' }), parameters }));
	});

	it('filters by hang-up reason code', async () => {
		const parameters = { filters: { hangupReasons: ['12'] } };
		expect((await deliver(dialer.node, { body: event('ContactStatus', { hangupReason: 12 }), parameters })).main).toHaveLength(1);
		expectFilteredOut(await deliver(dialer.node, { body: event('ContactStatus', { hangupReason: 3 }), parameters }));
	});
});

it('some callbacks have a body AIRudder has not published', () => {
	expect(inferred.length).toBeGreaterThan(0);
});

describe.each(inferred)(
	'$className: a body AIRudder has not published',
	({ node, definition }) => {
		const core = definition.coreFields ?? [];

		it('names itself inferred and lists its guaranteed fields in the trigger panel', () => {
			const { executionsHelp } = node.description.triggerPanel as { executionsHelp: { inactive: string } };
			expect(executionsHelp.inactive).toContain('inferred');
			const { guaranteed } = expectedColumnsOf(definition.webhookPath);
			expect(guaranteed.length).toBeGreaterThan(0);
			for (const column of guaranteed) expect(executionsHelp.inactive).toContain(column);
		});

		it('still reaches the main output when a non-core field has another shape, saying how it differs', async () => {
			const sample = definition.sample;
			const nonCore = Object.keys(definition.schema.shape).find((key) => !core.includes(key) && key in sample);
			expect(nonCore).toBeDefined();
			const reshaped = { ...sample, [nonCore!]: [['an unexpected shape']] };
			const run = await deliver(node, { body: JSON.stringify(reshaped) });
			expect(run.invalid).toEqual([]);
			expect(run.main.length).toBeGreaterThan(0);
			expect(run.main[0].schema_mismatch).toContain(nonCore);
		});

		it('goes to "Invalid", with the body, when a core field is missing', async () => {
			const withoutCore = { ...definition.sample };
			delete withoutCore[core[0]];
			const run = await deliver(node, { body: JSON.stringify(withoutCore) });
			expect(run.main).toEqual([]);
			expect(run.invalid).toHaveLength(1);
			expect(run.invalid[0]).toMatchObject({ stage: 'validate', body: namedAsInItems(withoutCore) });
		});
	},
);
