#!/usr/bin/env node
// @ts-check
/**
 * npm run emulate [-- --setting lazy-acquire --runs rate:4,burst:200 --repeats off,on]: n8n 2.41.1
 * of one setting of lib/n8nSettings.js (regular or queue mode), loaded by the AIRudder emulator
 * (scripts/lib/load/airudderEmulator.js), which hangs up at AIRudder's deadline and retries. The load
 * mix of the reliability test goes to sets of trigger → Write Row workflows at once (--repeats:
 * the trigger's defaults, Ignore Repeated Deliveries off, on), callbacks alternating between them,
 * so all sets see the same n8n under the same load. Write Row upserts each item on the call's key
 * into the destination a user would have (lib/destinations.js: an n8n Data Table in regular mode,
 * PostgreSQL in queue mode). Per run and set: what AIRudder saw (callbacks sent, retries, dropped
 * after the last retry), how often the workflow wrote each row (n8n's execution records), and,
 * counted in the destination itself, the rows it holds once, doubled, or lost. With --check, a
 * row doubled or lost in the destination fails the run, and so does, in a retried run, a row the
 * set with Ignore Repeated Deliveries on wrote twice.
 *
 * Runs, in the order given, each from an idle n8n:
 * - rate:R     R callbacks a second for --seconds;
 * - burst:N    N callbacks at once, as a campaign wave ends;
 * - retried:N  N callbacks at 2 a second, every answer counted late, so that every callback goes
 *              through all its retries and reaches n8n six times, whatever the machine's speed;
 * - cost:N     Ignore Repeated Deliveries' cost: N callbacks one after the other to each set,
 *              twice, the second time with the memory full (10,000 deliveries).
 */
const { parseArgs } = require('node:util');
const fs = require('node:fs');

const { postCallback } = require('../lib/callbackRequest');
const { AIRUDDER_CONTRACT, atRate, burst, emulateAirudder } = require('../lib/load/airudderEmulator');
const { auditRows } = require('../lib/load/audit');
const { loadWorkflows, planCallback, planLoad } = require('../lib/load/plan');
const { destinationReport, emulatorReport, saveReport } = require('../lib/load/report');
const { drive } = require('../lib/load/sender');
const { stopTrackedOnExitOrSignal } = require('../lib/processes');
const { CURRENT_N8N, formatDuration } = require('../lib/runtime');
const { cpuSecondsOf, waitUntilQuiet } = require('./lib/capacitySteps');
const { destinationFor } = require('./lib/destinations');
const { IGNORE_REPEATED_DELIVERIES, N8N_SETTINGS } = require('./lib/n8nSettings');
const { launchSetting, waitForWebhook } = require('./lib/n8nUnderTest');

const log = (/** @type {string} */ line) => console.error(line);

/**
 * The sets of workflows a run can load: the trigger as a user drops it in (its defaults), Ignore
 * Repeated Deliveries off, on, and on with a Wait node that holds each execution longer than the
 * retry delay, so that retries arrive while the first delivery's execution still runs.
 */
const VARIANTS = {
	default: { name: 'AirudderDefaults', parameters: {} },
	off: { name: 'AirudderRepeatsOff', parameters: { additionalOptions: { ignoreRepeatedDeliveries: false } } },
	on: { name: 'AirudderRepeatsOn', parameters: IGNORE_REPEATED_DELIVERIES },
	'on-while-running': { name: 'AirudderRepeatsRunning', parameters: IGNORE_REPEATED_DELIVERIES, waitSeconds: 20 },
};
/** The pace of a retried run: slow enough that no answer is late because n8n is busy. */
const RETRIED_PER_SECOND = 2;
/**
 * How long an execution may stay unfinished after the last retry. Past AIRudder's deadline, n8n
 * 2.41 leaves some executions "running" for good (their client hung up while they waited); those
 * are reported, with rows that never reached the Set node, rather than waited for.
 */
const UNFINISHED_WAIT_MS = 60_000;
/** How long, at most, the count waits after the last retry for n8n to finish its backlog. */
const DRAIN_WAIT_MS = 180_000;
/** Two callbacks of this many calls fill the memory of Ignore Repeated Deliveries (10,000). */
const FILL_CALLS = 5000;

const loadAverage = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/**
 * @param {string} text
 * @returns {{ kind: 'rate' | 'burst' | 'retried' | 'cost', value: number }}
 */
function parseRun(text) {
	const [kind, value] = text.split(':');
	if (!['rate', 'burst', 'retried', 'cost'].includes(kind) || !(Number(value) > 0)) {
		throw new Error(`--runs takes runs like rate:4, burst:200, retried:40 or cost:100, separated by commas; "${text}" is not one.`);
	}
	return { kind: /** @type {'rate' | 'burst' | 'retried' | 'cost'} */ (kind), value: Number(value) };
}

/**
 * Ignore Repeated Deliveries' cost per callback: one 4-call callback after the other to each
 * set's Workflow Call Completed trigger, acknowledgement times and n8n's CPU time per callback;
 * then the same with the memory full.
 * @param {Awaited<ReturnType<typeof launchSetting>>} n8n
 * @param {Record<string, ReturnType<typeof loadWorkflows>>} sets
 * @param {number} count
 * @param {string} prefix
 */
async function measureCost(n8n, sets, count, prefix) {
	const results = [];
	for (const memory of ['empty', 'full']) {
		if (memory === 'full') {
			for (const part of [0, 1]) {
				const fill = planCallback(sets.on[0], `${prefix}fill${part}x`, { calls: FILL_CALLS, encrypt: false, genuine: true }, n8n.urlOf);
				await postCallback(fill.request.url.toString(), { body: fill.request.body.toString(), headers: fill.request.headers }, 120_000);
			}
		}
		for (const [variant, workflows] of Object.entries(sets)) {
			await waitUntilQuiet(n8n.pids);
			const plan = Array.from({ length: count }, (_, index) =>
				planCallback(workflows[0], `${prefix}${memory}${variant}${index}x`, { calls: 4, encrypt: true, genuine: true }, n8n.urlOf),
			);
			const cpuBefore = n8n.pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
			const run = await drive((index) => plan[index].request, count, 1);
			const cpuSeconds = n8n.pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0) - cpuBefore;
			const sorted = [...run.latencies].sort((a, b) => a - b);
			results.push({
				ignore_repeated_deliveries: variant,
				memory: variant === 'on' ? memory : 'none',
				callbacks: count,
				not_answered_200: run.failures,
				p50_ack_ms: Math.round(sorted[Math.floor(sorted.length / 2)]),
				// Executions finish after their answer; waiting for quiet counts their CPU too.
				cpu_ms_per_callback: Math.round(((cpuSeconds + (await cpuAfterQuiet(n8n.pids))) * 1000) / count),
			});
			log(`  cost, repeats ${variant}, memory ${memory}: ${JSON.stringify(results.at(-1))}`);
		}
	}
	return results;
}

/** CPU seconds the processes use until they are quiet again. @param {number[]} pids */
async function cpuAfterQuiet(pids) {
	const before = pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
	await waitUntilQuiet(pids);
	return pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0) - before;
}

/**
 * One load run: the mix to every chosen set, callbacks alternating between sets, sent as AIRudder
 * sends them; then, per set, what AIRudder saw and where the rows went.
 * @param {Awaited<ReturnType<typeof launchSetting>>} n8n
 * @param {Record<string, ReturnType<typeof loadWorkflows>>} sets
 * @param {{ kind: 'rate' | 'burst' | 'retried' | 'cost', value: number }} run
 * @param {{ seconds: number, deadlineMs: number, retryDelayMs: number, retries: number, prefix: string }} options
 * @param {import('./lib/destinations').Destination} destination
 */
async function loadRun(n8n, sets, run, options, destination) {
	const count = run.kind === 'rate' ? Math.round(run.value * options.seconds) : run.value;
	const names = Object.keys(sets);
	const plans = names.map((name) =>
		planLoad(Math.ceil(count / names.length), n8n.urlOf, { workflows: sets[name], markerPrefix: `${options.prefix}${name}` }),
	);
	const plan = Array.from({ length: count }, (_, index) => plans[index % names.length][Math.floor(index / names.length)]);
	const dueMs = run.kind === 'burst' ? burst() : atRate(run.kind === 'rate' ? run.value : RETRIED_PER_SECOND);
	const retried = run.kind === 'retried';
	const afterId = await n8n.records.newestExecutionId();
	const emulation = await emulateAirudder(plan, {
		dueMs,
		deadlineMs: retried ? 0 : options.deadlineMs,
		waitPastDeadline: retried,
		retryDelayMs: options.retryDelayMs,
		retries: options.retries,
	});
	// An overloaded n8n still runs executions after AIRudder's last retry: a row they write later
	// has not been lost, so the count waits for n8n to go idle (or for the limit).
	const drained = await waitUntilQuiet(n8n.pids, { timeoutMs: DRAIN_WAIT_MS });
	/** @type {Record<string, ReturnType<typeof emulatorReport> & ReturnType<typeof destinationReport> & { n8n_idle_before_count: boolean }>} */
	const reports = {};
	for (const [index, name] of names.entries()) {
		const mine = plan.flatMap((callback, at) => (at % names.length === index ? [{ callback, delivery: emulation.deliveries[at] }] : []));
		const minePlan = mine.map(({ callback }) => callback);
		const deliveries = mine.map(({ delivery }) => delivery);
		// The writes finish with their executions, which the audit waits for; the destination is read after.
		const rows = await auditRows(n8n.records, minePlan, { afterId, timeoutMs: UNFINISHED_WAIT_MS, workflows: sets[name], downstream: 'Write Row' });
		reports[name] = {
			...emulatorReport(minePlan, { seconds: emulation.seconds, deliveries }, rows),
			...destinationReport(minePlan, deliveries, await destination.rowsPerKey(name)),
			n8n_idle_before_count: drained,
		};
	}
	return reports;
}

async function main() {
	stopTrackedOnExitOrSignal();
	const started = Date.now();
	const { values } = parseArgs({
		options: {
			setting: { type: 'string', default: 'default' },
			runs: { type: 'string', default: 'rate:2,rate:4,rate:8,burst:200' },
			repeats: { type: 'string', default: 'off,on' },
			seconds: { type: 'string', default: '20' },
			'deadline-ms': { type: 'string', default: String(AIRUDDER_CONTRACT.deadlineMs) },
			'retry-delay-ms': { type: 'string', default: '5000' },
			retries: { type: 'string', default: String(AIRUDDER_CONTRACT.retries) },
			check: { type: 'boolean', default: false },
		},
	});
	const setting = N8N_SETTINGS.find(({ name }) => name === values.setting);
	if (!setting) throw new Error(`Unknown setting "${values.setting}"; use one of ${N8N_SETTINGS.map(({ name }) => name).join(', ')}.`);
	const wanted = /** @type {Array<keyof typeof VARIANTS>} */ (values.repeats.split(','));
	if (wanted.some((name) => !(name in VARIANTS))) throw new Error(`--repeats takes default (the trigger's defaults), off, on, on-while-running, or several of them separated by commas; "${values.repeats}" is not.`);
	const runs = values.runs.split(',').map(parseRun);
	const options = {
		seconds: Number(values.seconds),
		deadlineMs: Number(values['deadline-ms']),
		retryDelayMs: Number(values['retry-delay-ms']),
		retries: Number(values.retries),
	};
	const destination = destinationFor(setting.mode);
	const sets = Object.fromEntries(wanted.map((name) => [name, loadWorkflows({ ...VARIANTS[name], lastNode: destination.writerFor(name) })]));

	const n8n = await launchSetting(setting, Object.values(sets).flat().map(({ workflow }) => workflow), {
		folder: 'emulator',
		log,
		beforeN8n: destination.beforeN8n,
	});
	const report = {
		n8n_version: CURRENT_N8N,
		setting: setting.name,
		summary: setting.summary,
		deadline_ms: options.deadlineMs,
		retry_delay_ms: options.retryDelayMs,
		retry_delay_scale: `1:${Math.round(AIRUDDER_CONTRACT.retryDelayMs / options.retryDelayMs)} of AIRudder's ${AIRUDDER_CONTRACT.retryDelayMs / 1000} s`,
		retries: options.retries,
		destination: destination.description,
		/** @type {object[]} */
		runs: [],
	};
	/** @type {string[]} */
	const problems = [];
	try {
		await destination.open(n8n.records, wanted);
		for (const workflows of Object.values(sets)) {
			const probe = planCallback(workflows[0], 'probe', { calls: 1, encrypt: false, genuine: true }, n8n.urlOf);
			await waitForWebhook(probe.request, n8n.logFile);
		}
		for (const [index, run] of runs.entries()) {
			await waitUntilQuiet(n8n.pids);
			const loadBefore = loadAverage();
			const prefix = `R${index}`;
			log(`${setting.name}, ${run.kind}:${run.value}…`);
			const results = run.kind === 'cost' ? await measureCost(n8n, sets, run.value, prefix) : await loadRun(n8n, sets, run, { ...options, prefix }, destination);
			const entry = { run: `${run.kind}:${run.value}`, ...(run.kind === 'rate' ? { seconds: options.seconds } : {}), loadavg_before: loadBefore, loadavg_after: loadAverage(), results };
			report.runs.push(entry);
			saveReport(`emulator-${setting.name}`, report);
			log(`  ${JSON.stringify(entry)}`);
			if (run.kind !== 'cost') {
				for (const [name, result] of Object.entries(results)) {
					if (result.destination_rows_lost > 0) problems.push(`${entry.run}, repeats ${name}: ${result.destination_rows_lost} rows never landed in the destination`);
					if (result.destination_rows_doubled > 0) problems.push(`${entry.run}, repeats ${name}: ${result.destination_rows_doubled} rows landed in the destination twice or more`);
					if (result.forged_not_answered_401 > 0) problems.push(`${entry.run}, repeats ${name}: ${result.forged_not_answered_401} forgeries were not answered 401`);
					// Copies 5 s apart of callbacks whose executions take milliseconds are what the
					// option promises to catch (docs/operations.md, "When a repeat gets through").
					if (name === 'on' && run.kind === 'retried' && result.rows_written_twice_or_more > 0) {
						problems.push(`${entry.run}, repeats on: ${result.rows_written_twice_or_more} rows were written again, though Ignore Repeated Deliveries should have caught every copy`);
					}
				}
			}
		}
	} finally {
		await n8n.stop();
	}
	console.log(JSON.stringify({ ...report, took: formatDuration(Date.now() - started) }));
	if (values.check && problems.length > 0) {
		for (const problem of problems) console.error(`FAIL: ${problem}`);
		process.exitCode = 1;
	} else if (values.check) {
		log(`PASS: every row landed in the destination exactly once (${formatDuration(Date.now() - started)}).`);
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.stack : error);
	process.exit(1);
});
