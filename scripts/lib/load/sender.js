// @ts-check
/**
 * The request sender of a load: posts callbacks to n8n, at a fixed concurrency or at a fixed rate
 * as AIRudder does, and records for each its status and acknowledgement time, or why no answer
 * came. It knows nothing of what it sends; the plan (plan.js) decides that.
 */
const http = require('node:http');
const { performance } = require('node:perf_hooks');

/** @typedef {{ url: URL, body: Buffer, headers: Record<string, string> }} LoadRequest */

/**
 * Posts one request and settles however it ends: answered (its status, and the time since
 * `since`), or failed, reset or timed out (status 0, and why). It never rejects, so a load
 * waiting for all its requests cannot hang on one.
 *
 * A server closes a kept-alive connection that has been idle for its keep-alive timeout (5 s in
 * Node), and a request written onto it at that moment is reset before the server has read it.
 * Node's documentation says to resend such a request on a new connection, and so does this
 * sender, a few times at most, counting each in `resends`; a resend of a request the server had
 * in fact taken would show in the audit as a callback that ran twice.
 * @param {http.Agent} agent
 * @param {LoadRequest} target
 * @param {{ since: number, timeoutMs: number }} timing
 * @returns {Promise<{ status: number, ms?: number, failure?: string, resends: number }>}
 */
async function sendOne(agent, target, timing) {
	for (let resends = 0; ; resends++) {
		const attempt = await sendOnce(agent, target, timing);
		if (!attempt.closedWhileIdle || resends === MAX_RESENDS) return { ...attempt.answer, resends };
	}
}

/** More than this many idle connections closing under one request would be a fault, not the race. */
const MAX_RESENDS = 3;

/**
 * @param {http.Agent} agent
 * @param {LoadRequest} target
 * @param {{ since: number, timeoutMs: number }} timing
 * @returns {Promise<{ answer: { status: number, ms?: number, failure?: string }, closedWhileIdle: boolean }>}
 */
function sendOnce(agent, target, timing) {
	return new Promise((resolve) => {
		/** @param {string} failure */
		const fail = (failure, closedWhileIdle = false) => resolve({ answer: { status: 0, failure }, closedWhileIdle });
		const request = http.request(
			target.url,
			{ method: 'POST', agent, headers: { ...target.headers, 'Content-Length': String(target.body.length) }, timeout: timing.timeoutMs },
			(response) => {
				response.on('error', (error) => fail(`the answer broke off (${errorCode(error)})`));
				response.on('end', () => resolve({ answer: { status: response.statusCode ?? 0, ms: performance.now() - timing.since }, closedWhileIdle: false }));
				response.resume();
			},
		);
		request.on('error', (error) => fail(errorCode(error), request.reusedSocket && errorCode(error) === 'ECONNRESET'));
		request.on('timeout', () => {
			fail(`no answer within ${timing.timeoutMs} ms`);
			request.destroy();
		});
		request.on('close', () => fail('the connection closed without an answer'));
		request.end(target.body);
	});
}

/** @param {unknown} error */
const errorCode = (error) => /** @type {NodeJS.ErrnoException} */ (error).code ?? String(error);

/** @typedef {Awaited<ReturnType<typeof sendOne>>} Answer */

/**
 * The answers of a load by request index, as both ways of sending report them: `statuses[i]` is
 * the HTTP status of request i, or 0 if it got no answer, and then `failureReasons[i]` says why;
 * `resends` counts requests resent after an idle connection closed.
 * @param {number} count
 */
function answerLog(count) {
	/** @type {number[]} */
	const latencies = [];
	const statuses = new Array(count).fill(0);
	/** @type {(string | undefined)[]} */
	const failureReasons = new Array(count).fill(undefined);
	let resends = 0;
	const started = performance.now();
	return {
		/** @param {number} index @param {Answer} answer */
		record(index, answer) {
			statuses[index] = answer.status;
			failureReasons[index] = answer.failure;
			resends += answer.resends;
			if (answer.ms !== undefined) latencies.push(answer.ms);
		},
		results() {
			const failures = statuses.filter((status) => status !== 200).length;
			return { seconds: (performance.now() - started) / 1000, latencies, statuses, failureReasons, resends, failures };
		},
	};
}

/**
 * Sends `count` requests with at most `concurrency` in flight and times each acknowledgement.
 * @param {(index: number) => LoadRequest} requestAt
 * @param {number} count
 * @param {number} concurrency
 */
async function drive(requestAt, count, concurrency) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const answers = answerLog(count);
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const index = next++;
			answers.record(index, await sendOne(agent, requestAt(index), { since: performance.now(), timeoutMs: 60_000 }));
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	agent.destroy();
	return answers.results();
}

/**
 * Sends requests at a fixed rate for `seconds`, whatever the answers take, as AIRudder does: it
 * does not wait for one callback's answer before sending the next. Each latency is counted from
 * the moment the request was due, so a sender that falls behind does not hide n8n's delay.
 * Every request has its own connection slot; none waits longer than `timeoutMs` for its answer.
 * @param {(index: number) => LoadRequest} requestAt
 * @param {{ ratePerSecond: number, seconds: number, timeoutMs: number }} options
 */
async function driveAtRate(requestAt, options) {
	const count = Math.max(1, Math.round(options.ratePerSecond * options.seconds));
	const agent = new http.Agent({ keepAlive: true });
	const answers = answerLog(count);
	const started = performance.now();
	/** @type {Promise<void>[]} */
	const sent = [];
	for (let index = 0; index < count; index++) {
		const due = started + (index * 1000) / options.ratePerSecond;
		const wait = due - performance.now();
		if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		sent.push(sendOne(agent, requestAt(index), { since: due, timeoutMs: options.timeoutMs }).then((answer) => answers.record(index, answer)));
	}
	await Promise.all(sent);
	agent.destroy();
	return { count, ...answers.results() };
}

module.exports = { drive, driveAtRate, sendOne };
