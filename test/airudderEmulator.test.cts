/**
 * The AIRudder emulator delivers callbacks as AIRudder's contract says: an answer other than 200,
 * or none within the deadline, is a failure; a failed callback is sent again after the retry
 * delay, up to five times, then dropped. Its report counts what AIRudder saw and where the rows
 * went, read from n8n's execution records. Checked here against a local server whose answers the
 * spec decides, with the delays shortened, and against records the spec writes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

import { AIRUDDER_CONTRACT, atRate, burst, emulateAirudder } from '../scripts/lib/load/airudderEmulator';
import { auditRows } from '../scripts/lib/load/audit';
import { loadWorkflows, planCallback, type PlannedCallback } from '../scripts/lib/load/plan';
import { destinationReport, emulatorReport } from '../scripts/lib/load/report';

let server: Server;
let url: string;
/** Decides each answer; `seen` counts the copies of each callback received so far, this one included. */
let answer: (request: IncomingMessage, response: ServerResponse, seen: number) => void;
const received = new Map<string, number[]>();

beforeAll(async () => {
	server = createServer((request, response) => {
		const marker = String(request.headers['x-marker']);
		received.set(marker, [...(received.get(marker) ?? []), Date.now()]);
		request.resume();
		request.on('end', () => answer(request, response, received.get(marker)?.length ?? 0));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
});
afterAll(() => {
	server.closeAllConnections();
	server.close();
});
beforeEach(() => received.clear());

const callback = (marker: string, genuine = true): PlannedCallback => ({
	marker,
	workflowId: 'w',
	genuine,
	items: 1,
	rows: [marker],
	webhookPath: 'workflow-call-completed',
	payload: {},
	request: { url: new URL(url), body: Buffer.from('{}'), headers: { 'x-marker': marker } },
});
const fast = { dueMs: burst(), deadlineMs: 300, retryDelayMs: 50, retries: AIRUDDER_CONTRACT.retries };

describe('the AIRudder emulator', () => {
	it('follows AIRudder’s contract unless told otherwise: 10 s to answer, then 5 retries a minute apart', () => {
		expect(AIRUDDER_CONTRACT).toEqual({ deadlineMs: 10_000, retryDelayMs: 60_000, retries: 5 });
	});

	it('sends a callback answered 200 in time once', async () => {
		answer = (_, response) => response.end('ok');
		const { deliveries } = await emulateAirudder([callback('a')], fast);
		expect(deliveries[0]).toMatchObject({ acknowledged: true, attempts: [{ status: 200 }] });
		expect(received.get('a')).toHaveLength(1);
	});

	it('retries after an error answer until one is answered 200, waiting the retry delay between them', async () => {
		answer = (_, response, seen) => {
			response.statusCode = seen < 3 ? 500 : 200;
			response.end();
		};
		const { deliveries } = await emulateAirudder([callback('b')], { ...fast, retryDelayMs: 100 });
		expect(deliveries[0].attempts.map(({ status }) => status)).toEqual([500, 500, 200]);
		expect(deliveries[0].acknowledged).toBe(true);
		const times = received.get('b') ?? [];
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(90);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(90);
	});

	it('hangs up at the deadline, counts that as a failure, and drops the callback after its last retry', async () => {
		answer = () => undefined;
		const { deliveries } = await emulateAirudder([callback('c')], { ...fast, deadlineMs: 100, retries: 2 });
		expect(deliveries[0].acknowledged).toBe(false);
		expect(deliveries[0].attempts).toHaveLength(3);
		expect(deliveries[0].attempts.every(({ status }) => status === 0)).toBe(true);
		expect(received.get('c')).toHaveLength(3);
	});

	it('with waitPastDeadline, still counts a late 200 as a failure but waits for it, so every copy is answered', async () => {
		answer = (_, response) => setTimeout(() => response.end('ok'), 30);
		const { deliveries } = await emulateAirudder([callback('d')], { ...fast, deadlineMs: 0, waitPastDeadline: true });
		expect(deliveries[0].acknowledged).toBe(false);
		expect(deliveries[0].attempts.map(({ status }) => status)).toEqual(new Array(1 + AIRUDDER_CONTRACT.retries).fill(200));
	});

	it('sends a forgery once, as an attacker would: AIRudder’s retries are for its own callbacks', async () => {
		answer = (_, response) => {
			response.statusCode = 401;
			response.end();
		};
		const { deliveries } = await emulateAirudder([callback('e', false)], fast);
		expect(deliveries[0].attempts).toHaveLength(1);
		expect(received.get('e')).toHaveLength(1);
	});

	it('sends at a fixed rate whatever the answers take, or all at once in a burst', () => {
		expect([0, 1, 2].map(atRate(4))).toEqual([0, 250, 500]);
		expect([0, 1, 2].map(burst())).toEqual([0, 0, 0]);
	});
});

describe('the emulator’s report', () => {
	it('counts what AIRudder saw and where each row went', async () => {
		answer = (request, response, seen) => {
			const marker = String(request.headers['x-marker']);
			response.statusCode = marker === 'forged' ? 401 : marker === 'late' && seen === 1 ? 500 : 200;
			response.end();
		};
		const plan = [callback('first'), callback('late'), callback('forged', false)];
		const emulation = await emulateAirudder(plan, fast);
		const report = emulatorReport(plan, emulation, {
			executions: 3,
			statuses: { success: 3 },
			notSucceeded: [],
			rowsExpected: 2,
			once: 1,
			twiceOrMore: ['late'],
			never: [],
		});
		expect(report).toMatchObject({
			callbacks_sent: 2,
			retries: 1,
			acknowledged_at_first_attempt: 1,
			acknowledged_after_retries: 1,
			dropped_after_last_retry: 0,
			forged_not_answered_401: 0,
			rows_expected: 2,
			rows_written_once: 1,
			rows_written_twice_or_more: 1,
			rows_never_written: 0,
		});
	});

	it('counts the rows where they landed: once, doubled, lost, and lost though AIRudder got 200', () => {
		const plan = [callback('one'), callback('two'), callback('dropped'), callback('answered'), callback('forged', false)];
		const acknowledged = [true, true, false, true, false].map((value) => ({ acknowledged: value }));
		const rowsInDestination = new Map([
			['one', 1],
			['two', 2],
			['forged', 1],
		]);
		expect(destinationReport(plan, acknowledged, rowsInDestination)).toEqual({
			destination_rows_expected: 4,
			destination_rows_once: 1,
			destination_rows_doubled: 1,
			destination_rows_lost: 2,
			destination_rows_lost_though_answered_200: 1,
			destination_rows_named: { lost: ['dropped', 'answered'], doubled: ['two'] },
		});
	});
});

describe('the row audit', () => {
	const [batched, , single] = loadWorkflows();
	const plan = [
		planCallback(batched, 'B', { calls: 2, encrypt: false, genuine: true }, () => 'http://127.0.0.1/'),
		planCallback(single, 'S', { calls: 1, encrypt: false, genuine: true }, () => 'http://127.0.0.1/'),
		planCallback(single, 'F', { calls: 1, encrypt: false, genuine: false }, () => 'http://127.0.0.1/'),
	];
	const keyOf = (target: typeof single) => (target.definition.deliveryKey as string[])[0];
	/** An execution of `target` whose trigger put out `rows` and whose Set node got the ones at `reached`. */
	const execution = (id: number, target: typeof single, rows: string[], reached: number[], status = 'success') => {
		const items = rows.map((row) => ({ json: { [keyOf(target)]: row } }));
		return {
			id: String(id),
			workflowId: target.workflow.id,
			status,
			startedAt: '',
			stoppedAt: null,
			error: null,
			runData: {
				[target.definition.displayName]: [{ data: { main: [items] } }],
				...(reached.length > 0 ? { Set: [{ data: { main: [reached.map((item) => ({ json: { received: 'yes' }, pairedItem: { item } }))] } }] } : {}),
			},
			queued: {},
		};
	};
	const sourceOf = (executions: ReturnType<typeof execution>[]) => ({
		execution: async (id: string) => executions.find((candidate) => candidate.id === id),
	});
	const audit = (executions: ReturnType<typeof execution>[]) =>
		auditRows(sourceOf(executions), plan, { afterId: 0, timeoutMs: 0, workflows: [batched, single], downstream: 'Set' });

	it('counts each row of a genuine callback where the user gets it: at the node after the trigger', async () => {
		expect(await audit([execution(1, batched, ['B-0', 'B-1'], [0, 1]), execution(2, single, ['S'], [0])])).toMatchObject({
			rowsExpected: 3,
			once: 3,
			twiceOrMore: [],
			never: [],
		});
	});

	it('names a row that reached it twice, from a repeated delivery, and one that never did', async () => {
		const result = await audit([execution(1, batched, ['B-0', 'B-1'], [0, 1]), execution(2, batched, ['B-0', 'B-1'], [1])]);
		expect(result).toMatchObject({ once: 1, twiceOrMore: ['B-1'], never: ['S'] });
	});

	it('counts the rows of an execution that stopped before the node after the trigger as never reached, and names the execution', async () => {
		const result = await audit([execution(1, batched, ['B-0', 'B-1'], [0, 1]), execution(2, single, ['S'], [], 'crashed')]);
		expect(result).toMatchObject({ never: ['S'], notSucceeded: ['#2 (crashed)'], statuses: { success: 1, crashed: 1 } });
	});
});
