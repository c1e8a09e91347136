// @ts-check
/**
 * AIRudder as it delivers callbacks (its delivery contract): each callback is posted when its
 * call ends, whatever earlier answers take; an answer other than 200, or none within the
 * deadline (10 s), is a failure; a failed callback is sent again after a delay (a minute), up to
 * five times, and after the last failure it is dropped. Headers, AES, signature, URL token and
 * aggregated calls are the plan's (plan.js): the emulator only decides when each copy goes out.
 */
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const { sendOne } = require('./sender');

/** @typedef {import('./plan').PlannedCallback} PlannedCallback */
/** @typedef {Awaited<ReturnType<typeof sendOne>>} Attempt */

/** AIRudder's contract in production. */
const AIRUDDER_CONTRACT = Object.freeze({ deadlineMs: 10_000, retryDelayMs: 60_000, retries: 5 });

/**
 * @typedef {object} EmulatorOptions
 * @property {(index: number) => number} dueMs when callback `index` is first sent, after the start
 * @property {number} deadlineMs an answer later than this is a failure
 * @property {number} retryDelayMs between a failed attempt and the next
 * @property {number} retries after the first attempt
 * @property {boolean} [waitPastDeadline] keep waiting for a late answer instead of hanging up at
 *   the deadline, so that every attempt reaches n8n whatever the deadline; the answer still
 *   counts as late. AIRudder hangs up.
 */

/** Sends every callback `index` in turn, `ratePerSecond` a second. @param {number} ratePerSecond */
const atRate = (ratePerSecond) => (/** @type {number} */ index) => (index * 1000) / ratePerSecond;
/** Every callback at once, as a campaign wave ends. */
const burst = () => () => 0;

/**
 * One callback's deliveries: attempts until one is answered 200 in time or the retries run out.
 * A forgery is an attacker's, not AIRudder's: it is sent once.
 * @param {http.Agent} agent
 * @param {PlannedCallback} callback
 * @param {number} due performance.now() of the first attempt
 * @param {EmulatorOptions} options
 */
async function deliver(agent, callback, due, options) {
	/** @type {Attempt[]} */
	const attempts = [];
	for (let next = due; ; next = performance.now() + options.retryDelayMs) {
		const wait = next - performance.now();
		if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		const since = performance.now();
		const timeoutMs = options.waitPastDeadline ? 120_000 : options.deadlineMs;
		const attempt = await sendOne(agent, callback.request, { since, timeoutMs });
		attempts.push(attempt);
		const inTime = attempt.status === 200 && (attempt.ms ?? Infinity) <= options.deadlineMs;
		if (inTime || !callback.genuine || attempts.length > options.retries) return { attempts, acknowledged: inTime };
	}
}

/**
 * Sends the plan as AIRudder would and records every attempt of every callback.
 * @param {PlannedCallback[]} plan
 * @param {EmulatorOptions} options
 */
async function emulateAirudder(plan, options) {
	const agent = new http.Agent({ keepAlive: true });
	const started = performance.now();
	const deliveries = await Promise.all(plan.map((callback, index) => deliver(agent, callback, started + options.dueMs(index), options)));
	agent.destroy();
	return { seconds: (performance.now() - started) / 1000, deliveries };
}

module.exports = { AIRUDDER_CONTRACT, atRate, burst, emulateAirudder };
