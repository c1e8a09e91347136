// @ts-check
/**
 * How many callbacks per second an n8n absorbs: callbacks sent at a fixed rate, the rate raised
 * step by step, and for each step the acknowledgement times AIRudder would see. Three
 * thresholds come out of it: the highest rate whose p99 acknowledgement stays under 2 s, the rate
 * at which p99 passes AIRudder's 10 s deadline, and the first rate at which a callback was not
 * acknowledged 200 at all.
 */
const fs = require('node:fs');

const { percentile } = require('../../lib/load/report');
const { driveAtRate } = require('../../lib/load/sender');

/** Callbacks per second, each step about 1.4× the one before. */
const RATE_STEPS = [2, 3, 4, 6, 8, 11, 16, 23, 32, 45, 64, 90];
const ACK_TARGET_MS = 2_000;
const AIRUDDER_DEADLINE_MS = 10_000;
/** Past AIRudder's deadline with room to tell "late" from "never answered". */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * @typedef {object} CapacityStep
 * @property {number} rate callbacks per second sent
 * @property {number} sent
 * @property {number} failures answered otherwise than 200, or not within REQUEST_TIMEOUT_MS
 * @property {number} p50_ms
 * @property {number} p99_ms
 * @property {number} max_ms
 * @property {boolean} [started_idle] false when n8n was still busy from the step before
 */

/**
 * @param {number} rate
 * @param {{ count: number, latencies: number[], failures: number }} run
 * @returns {CapacityStep}
 */
function summarizeStep(rate, run) {
	const sorted = [...run.latencies].sort((a, b) => a - b);
	// An unanswered request is slower than any answered one, so it counts in the percentiles as infinitely late.
	const unanswered = run.count - sorted.length;
	const withUnanswered = [...sorted, ...new Array(unanswered).fill(Number.POSITIVE_INFINITY)];
	const round = (/** @type {number} */ value) => (Number.isFinite(value) ? Math.round(value) : REQUEST_TIMEOUT_MS);
	return {
		rate,
		sent: run.count,
		failures: run.failures,
		p50_ms: round(percentile(withUnanswered, 0.5)),
		p99_ms: round(percentile(withUnanswered, 0.99)),
		max_ms: round(withUnanswered[withUnanswered.length - 1]),
	};
}

/** @param {CapacityStep} step */
const withinTarget = (step) => step.failures === 0 && step.p99_ms < ACK_TARGET_MS;
/** @param {CapacityStep} step */
const pastDeadline = (step) => step.p99_ms > AIRUDDER_DEADLINE_MS;
/** Past either, AIRudder retries; no faster step can tell more. @param {CapacityStep} step */
const lastStepWorthTrying = (step) => pastDeadline(step) || step.failures > 0;

/**
 * The thresholds of a run of rising steps, each null when no step reached it. A rate counts as
 * sustained only if every slower step was within the target too, so one lucky step after a slow
 * one does not count.
 * @param {CapacityStep[]} steps in the order they ran, rates rising
 */
function capacityFrom(steps) {
	const firstMiss = steps.findIndex((step) => !withinTarget(step));
	const sustained = firstMiss === -1 ? steps.at(-1) : steps[firstMiss - 1];
	return {
		sustained_per_s_p99_under_2s: sustained?.rate ?? null,
		p99_past_10s_at_per_s: steps.find(pastDeadline)?.rate ?? null,
		first_unacknowledged_at_per_s: steps.find((step) => step.failures > 0)?.rate ?? null,
		highest_rate_tried: steps.at(-1)?.rate ?? 0,
	};
}

/** CPU seconds a process has used, user and system, from /proc; 0 once it is gone. @param {number} pid */
function cpuSecondsOf(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The program name, field 2, is in parentheses and may hold spaces or parentheses itself.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 a second on Linux).
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return 0;
	}
}

/** Below this share of one core, n8n counts as idle: it keeps a timer or two even then. */
const IDLE_CORE_SHARE = 0.1;

/**
 * Waits until the processes together use less than a tenth of a core over a second: the previous
 * step's executions have finished, so the next step starts from an idle n8n.
 * @param {number[]} pids
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<boolean>} false when they were still busy at the time limit
 */
async function waitUntilQuiet(pids, options = {}) {
	const deadline = Date.now() + (options.timeoutMs ?? 120_000);
	const total = () => pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
	let before = total();
	while (Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const now = total();
		if (now - before < IDLE_CORE_SHARE) return true;
		before = now;
	}
	return false;
}

/**
 * Raises the rate step by step until p99 passes AIRudder's deadline or a callback goes
 * unacknowledged, each step from an idle n8n.
 * @param {{ requestAt: (index: number) => import('../../lib/load/sender').LoadRequest, pids: number[], seconds: number, log: (line: string) => void }} options
 */
async function measureCapacity(options) {
	/** @type {CapacityStep[]} */
	const steps = [];
	for (const rate of RATE_STEPS) {
		const startedIdle = await waitUntilQuiet(options.pids);
		if (!startedIdle) options.log(`  n8n was still busy after 2 minutes; the ${rate}/s step starts anyway, marked started_idle: false`);
		const run = await driveAtRate(options.requestAt, { ratePerSecond: rate, seconds: options.seconds, timeoutMs: REQUEST_TIMEOUT_MS });
		const step = { ...summarizeStep(rate, run), started_idle: startedIdle };
		steps.push(step);
		options.log(`  ${String(rate).padStart(3)}/s for ${options.seconds} s: p50 ${step.p50_ms} ms, p99 ${step.p99_ms} ms, not acknowledged ${step.failures}`);
		if (lastStepWorthTrying(step)) break;
	}
	await waitUntilQuiet(options.pids);
	return { steps, ...capacityFrom(steps) };
}

module.exports = { capacityFrom, cpuSecondsOf, measureCapacity, summarizeStep, waitUntilQuiet };
