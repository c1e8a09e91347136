/**
 * `npm run capacity` sends callbacks at fixed rates, as AIRudder does, and reads two thresholds
 * off the rising steps: the highest rate whose p99 acknowledgement stays under 2 s, and the rate
 * where p99 passes AIRudder's 10 s deadline.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

import { drive, driveAtRate } from '../scripts/lib/load/sender';
import { capacityFrom, cpuSecondsOf, summarizeStep, waitUntilQuiet } from '../scripts/performance/lib/capacitySteps';

const step = (rate: number, p99: number, failures = 0) => ({ rate, sent: rate * 10, failures, p50_ms: p99 / 2, p99_ms: p99, max_ms: p99 });

describe('the thresholds of a capacity run', () => {
	it('take the last rate before the first step that misses 2 s, and the first step past 10 s', () => {
		expect(capacityFrom([step(2, 300), step(3, 900), step(4, 2500), step(6, 11_000)])).toEqual({
			sustained_per_s_p99_under_2s: 3,
			p99_past_10s_at_per_s: 6,
			first_unacknowledged_at_per_s: null,
			highest_rate_tried: 6,
		});
	});

	it('do not count a fast step that follows a slow one as sustained', () => {
		expect(capacityFrom([step(2, 300), step(3, 2100), step(4, 1900), step(6, 12_000)]).sustained_per_s_p99_under_2s).toBe(2);
	});

	it('count a rate at which a callback was not acknowledged as missing the target, and name it apart from the deadline', () => {
		expect(capacityFrom([step(2, 300), step(3, 400, 1)])).toEqual({
			sustained_per_s_p99_under_2s: 2,
			p99_past_10s_at_per_s: null,
			first_unacknowledged_at_per_s: 3,
			highest_rate_tried: 3,
		});
	});

	it('are null when no rate reached them: even the slowest missed 2 s, none passed 10 s', () => {
		expect(capacityFrom([step(2, 2500), step(3, 5000)])).toEqual({
			sustained_per_s_p99_under_2s: null,
			p99_past_10s_at_per_s: null,
			first_unacknowledged_at_per_s: null,
			highest_rate_tried: 3,
		});
	});
});

describe('one step of a capacity run', () => {
	it('takes nearest-rank percentiles, counting an unanswered callback as later than every answered one', () => {
		const latencies = Array.from({ length: 99 }, (_, index) => index + 1);
		expect(summarizeStep(10, { count: 100, latencies, failures: 1 })).toEqual({ rate: 10, sent: 100, failures: 1, p50_ms: 50, p99_ms: 99, max_ms: 30_000 });
		expect(summarizeStep(10, { count: 100, latencies: latencies.slice(0, 98), failures: 2 }).p99_ms).toBe(30_000);
	});

	it('has p99 equal to the slowest callback when fewer than 100 were sent', () => {
		expect(summarizeStep(2, { count: 40, latencies: Array.from({ length: 40 }, (_, index) => index + 1), failures: 0 }).p99_ms).toBe(40);
	});
});

describe('the fixed-rate sender', () => {
	let server: Server;
	let url: URL;
	/** How many requests had arrived when each answer went out. */
	const arrivedBeforeAnswer: number[] = [];
	let arrived = 0;
	let held: Array<() => void> = [];

	beforeAll(async () => {
		// Holds every answer until 20 requests have arrived: a sender that waited for an answer
		// before sending the next request would never get one.
		server = createServer((request, response) => {
			arrived += 1;
			request.resume();
			held.push(() => {
				arrivedBeforeAnswer.push(arrived);
				response.end('ok');
			});
			if (arrived >= 20) {
				for (const release of held) release();
				held = [];
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
	});

	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	it('does not wait for answers: all 20 requests of a second at 20/s go out before the first answer comes back', async () => {
		const run = await driveAtRate(() => ({ url, body: Buffer.from('{}'), headers: {} }), { ratePerSecond: 20, seconds: 1, timeoutMs: 30_000 });
		expect(run.count).toBe(20);
		expect(run.failures).toBe(0);
		expect(run.latencies).toHaveLength(20);
		expect(arrivedBeforeAnswer).toEqual(Array.from({ length: 20 }, () => 20));
	});

	it('counts a request that gets no answer in time as a failure, and says so', async () => {
		// Fewer than 20 requests arrive, so none is answered.
		arrived = 0;
		const run = await driveAtRate(() => ({ url, body: Buffer.from('{}'), headers: {} }), { ratePerSecond: 5, seconds: 1, timeoutMs: 100 });
		expect(run.failures).toBe(run.count);
		expect(run.latencies).toEqual([]);
		expect(new Set(run.failureReasons)).toEqual(new Set(['no answer within 100 ms']));
	});
});

describe('a request that meets a closed connection', () => {
	let server: Server;
	let url: URL;
	/** How each request was treated, in arrival order. */
	const handled: string[] = [];
	let resetEveryRequest = false;

	beforeAll(async () => {
		// Resets a kept-alive connection when its second request arrives, as a server does when
		// its keep-alive timeout ends just as the request is written.
		server = createServer((request, response) => {
			const socket = request.socket as typeof request.socket & { requestsSeen?: number };
			socket.requestsSeen = (socket.requestsSeen ?? 0) + 1;
			if (resetEveryRequest || socket.requestsSeen > 1) {
				handled.push('reset');
				socket.destroy();
				return;
			}
			handled.push('answered');
			request.resume();
			request.on('end', () => response.end('ok'));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
	});

	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	beforeEach(() => {
		handled.length = 0;
		resetEveryRequest = false;
	});

	it('is resent on a new connection when the reset came on a reused one, and the resend is counted', async () => {
		const run = await drive(() => ({ url, body: Buffer.from('{}'), headers: {} }), 2, 1);
		expect(run.statuses).toEqual([200, 200]);
		expect(run.resends).toBe(1);
		expect(handled).toEqual(['answered', 'reset', 'answered']);
	});

	it('is not resent when the reset came on a new connection: the server refused that request', async () => {
		resetEveryRequest = true;
		const run = await drive(() => ({ url, body: Buffer.from('{}'), headers: {} }), 1, 1);
		expect(run.statuses).toEqual([0]);
		expect(run.failureReasons).toEqual(['ECONNRESET']);
		expect(run.resends).toBe(0);
		expect(handled).toEqual(['reset']);
	});

	it('names the error when nothing listens', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise((resolve) => closed.close(resolve));
		const run = await drive(() => ({ url: new URL(`http://127.0.0.1:${port}/`), body: Buffer.from('{}'), headers: {} }), 1, 1);
		expect(run.failureReasons).toEqual(['ECONNREFUSED']);
		expect(run.resends).toBe(0);
	});
});

describe('waiting for an idle n8n between steps', () => {
	it('reads the CPU time a process has used, and 0 for one that is gone', () => {
		const spin = Date.now() + 200;
		while (Date.now() < spin);
		expect(cpuSecondsOf(process.pid)).toBeGreaterThan(0.1);
		expect(cpuSecondsOf(2 ** 30)).toBe(0);
	});

	it('returns once the processes are idle', async () => {
		await expect(waitUntilQuiet([2 ** 30], { timeoutMs: 5_000 })).resolves.toBe(true);
	});
});
