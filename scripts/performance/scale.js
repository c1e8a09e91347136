#!/usr/bin/env node
// @ts-check
/**
 * npm run test:scale: our package in n8n's queue mode with the recommended settings
 * (lib/n8nSettings.js), the topology users run when one n8n is not enough, grown the way n8n
 * documents: Redis and PostgreSQL (from Debian's packages), a main process, two webhook processors
 * behind nginx as the load balancer, and two workers, all on 127.0.0.1. Each workflow writes every
 * item to PostgreSQL with n8n's own Postgres node ("Insert or Update" on the call's id, lib/rowStore.js),
 * half of them with the trigger's default settings and half with Ignore Repeated Deliveries on. The
 * AIRudder emulator sends the load mix to nginx at a fixed rate with AIRudder's 10 s deadline and
 * retries; mid-run, one worker is killed with SIGKILL and restarted, and then one webhook
 * processor. After the audit, the backfill of examples/backfill-yesterdays-calls.json runs once
 * against the local AIRudder API, which holds every Workflow Call Completed call the load sent, as
 * AIRudder does (lib/backfill.js). Last, one 1000-call callback goes through the idle topology.
 *
 * Pass, counted in the destination table and in n8n's records:
 * - every genuine callback AIRudder got 200 for has all its rows in the table, and none was
 *   dropped after its last retry; no forgery was answered anything but 401 or ran;
 * - no row was written twice, except, with the trigger's defaults, rows of callbacks AIRudder
 *   sent again because an earlier attempt got no 200 in time: n8n may have run that attempt, and
 *   the unique key keeps them one row (reported, with how many);
 * - every execution holds exactly its callback's items, except those the killed worker was
 *   running. n8n 2.41 never re-runs those (its queue allows no stalled job back); it marks them
 *   failed and replaces their data with the error. That is n8n's guarantee, and the run checks
 *   that nothing beyond it is lost: only waiting callbacks, at most one worker's concurrency.
 * - after one run of the backfill, every genuine row of the load is in the table (those the killed
 *   worker lost brought back, counted), each written by the backfill once more and no other row
 *   touched; a missing row fails the run with its key, and one of a type Find Calls cannot list
 *   (predictive dialer, chatbot, inbound) is counted apart, as no backfill brings it back.
 * - the 1000-call callback arrives whole, one row per call.
 */
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const { postCallback } = require('../lib/callbackRequest');
const { minimalTriggerWorkflow } = require('../lib/demo');
const { AIRUDDER_CONTRACT, atRate, emulateAirudder } = require('../lib/load/airudderEmulator');
const { auditLoad, auditRows } = require('../lib/load/audit');
const { loadWorkflows, planCallback, planLoad } = require('../lib/load/plan');
const { emulatorReport, percentile, saveReport } = require('../lib/load/report');
const { startLocalAirudderApi } = require('../lib/localAirudderApi');
const { rssMegabytes, stopTrackedOnExitOrSignal } = require('../lib/processes');
const { cacheRoot, CURRENT_N8N, formatDuration } = require('../lib/runtime');
const { IGNORE_REPEATED_DELIVERIES, RECOMMENDED_SETTINGS } = require('./lib/n8nSettings');
const { BACKFILL_TRIGGER, backfillApiCredential, backfillWorkflow, callsAirudderHolds, judgeBackfill } = require('./lib/backfill');
const { waitUntilQuiet } = require('./lib/capacitySteps');
const { launchQueueMode } = require('./lib/queueMode');
const { prepareRowStore, WRITE_ROW_NODE, writeRowNode, writesByKey } = require('./lib/rowStore');

const CALLBACKS = 540;
/**
 * AIRudder sends each callback when its call ends, whatever the answers to earlier ones take, so
 * the load arrives at a fixed rate: 1.5 a second per webhook processor, a fifth of the 8 a second
 * `npm run capacity` measured one n8n with the recommended settings to answer with p99 under 2 s
 * on 2 idle cores, because here both processors share those cores with the workers, the main
 * process, the databases and the restarts. At 6 and at 4 a second on a machine shared with other
 * runs (load average 8 to 9), a restarting processor pushed answers past 10 s, the retries added
 * load, and n8n answered 503 ("Database is not ready!") as its PostgreSQL pools timed out: past
 * that point the run measures the overload, not the topology.
 */
const CALLBACKS_PER_SECOND = 3;
/** AIRudder waits a minute between retries; a fifth of that keeps the run short (ratio in the report). */
const RETRY_DELAY_MS = 5_000;
/** The largest Workflow Call Completed callback measured: 1000 calls in one body (about 1.4 MB). */
const LARGE_CALLBACK_CALLS = 1000;
/** `n8n worker --concurrency`, set in n8nInstance.js: the most executions one worker runs at once. */
const WORKER_CONCURRENCY = 5;
const LOAD_SECONDS = CALLBACKS / CALLBACKS_PER_SECOND;
/** When, into the load, worker A and then webhook processor B are killed. */
const KILL_WORKER_AT_MS = LOAD_SECONDS * 1000 * 0.25;
const KILL_WEBHOOK_AT_MS = LOAD_SECONDS * 1000 * 0.5;
const RESTART_AFTER_MS = 5_000;
/**
 * Executions of the load take milliseconds, so a kill would rarely find one running. Callbacks
 * to a workflow that waits make sure the killed worker is in the middle of some. They are
 * Workflow Call Completed callbacks, the type AIRudder's API gives back, so the backfill can
 * bring back what the killed worker lost.
 */
const SLOW_CALLBACKS = 2 * WORKER_CONCURRENCY;
const SLOW_WAIT_SECONDS = 30;
/**
 * How long the audit waits, in all, for executions still unfinished after the load. Past
 * AIRudder's deadline n8n 2.41 leaves some "running" for good; they are reported, not waited for.
 */
const AUDIT_WAIT_MS = 120_000;
/** The two sets of workflows, callbacks alternating between them. */
const SETS = {
	default: { name: 'AirudderDefaults', parameters: {}, markerPrefix: 'D' },
	ignoreRepeats: { name: 'AirudderIgnoreRepeats', parameters: IGNORE_REPEATED_DELIVERIES, markerPrefix: 'R' },
};

/** @param {string} line */
const log = (line) => console.log(line);

const settingsText = Object.entries(RECOMMENDED_SETTINGS).map(([name, value]) => `${name}=${value}`).join(', ');

/** @typedef {Awaited<ReturnType<typeof launchQueueMode>>} QueueMode */
/** @typedef {import('../lib/load/plan').PlannedCallback} PlannedCallback */

/**
 * Kills `instance` with SIGKILL after `atMs`, restarts it RESTART_AFTER_MS later.
 * @param {import('../lib/n8nInstance').N8nInstance} instance
 * @param {string} name
 * @param {number} atMs
 * @param {() => Promise<unknown>} [before] what to do just before the kill
 * @returns {Promise<unknown>} settles with the error, if any, so a failed restart cannot end the run before the load is done
 */
async function killAndRestart(instance, name, atMs, before) {
	try {
		await sleep(atMs);
		await before?.();
		instance.kill();
		log(`  ${name} killed (SIGKILL) ${Math.round(atMs / 1000)} s into the load`);
		await sleep(RESTART_AFTER_MS);
		await instance.start();
		log(`  ${name} restarted`);
		return undefined;
	} catch (error) {
		return error;
	}
}

/**
 * What each webhook processor answered during the load, from nginx's access log (its format is
 * set in services.js): requests, their rate over the load and the processor's answer times. A
 * request nginx passed on after the first processor refused the connection counts for the one
 * that answered it, the last of the upstreams nginx lists for it.
 * @param {QueueMode} queue
 * @param {number} fromMs epoch ms the load started
 * @param {number} toMs epoch ms the load ended
 */
function perProcessor(queue, fromMs, toMs) {
	const names = new Map(queue.webhooks.map((instance, index) => [`127.0.0.1:${instance.port}`, `webhook_processor_${String.fromCharCode(97 + index)}`]));
	/** @type {Map<string, { statuses: Record<string, number>, ms: number[] }>} */
	const seen = new Map([...names.values()].map((name) => [name, { statuses: {}, ms: [] }]));
	const last = (/** @type {string} */ field) => field.split(/, | : /).at(-1) ?? '';
	for (const line of fs.readFileSync(/** @type {{ accessLog: string }} */ (queue.loadBalancer).accessLog, 'utf8').split('\n')) {
		const [msec, addresses, statuses, seconds] = line.split('|');
		const at = Number(msec) * 1000;
		const entry = seen.get(names.get(last(addresses ?? '')) ?? '');
		if (!entry || at < fromMs || at > toMs) continue;
		entry.statuses[last(statuses)] = (entry.statuses[last(statuses)] ?? 0) + 1;
		if (Number.isFinite(Number(last(seconds)))) entry.ms.push(Number(last(seconds)) * 1000);
	}
	return Object.fromEntries(
		[...seen.entries()].map(([name, { statuses, ms }]) => {
			const sorted = [...ms].sort((a, b) => a - b);
			const p99 = sorted.length > 0 ? Math.round(percentile(sorted, 0.99)) : null;
			return [
				name,
				{
					requests: sorted.length,
					statuses,
					requests_per_s: Number((sorted.length / ((toMs - fromMs) / 1000)).toFixed(2)),
					p50_ms: sorted.length > 0 ? Math.round(percentile(sorted, 0.5)) : null,
					p99_ms: p99,
					p99_under_2_s: p99 !== null && p99 < 2000,
				},
			];
		}),
	);
}

/**
 * n8n's execution records, each finished one read once: the audits read every execution of the
 * run for each set, and the editor process would otherwise serve them all again each time.
 * @param {import('../lib/n8nInstance').N8nInstance} main
 */
function readOnce(main) {
	/** @type {Map<string, Awaited<ReturnType<typeof main.execution>>>} */
	const finished = new Map();
	return {
		/** @param {string} id */
		execution: async (id) => {
			const known = finished.get(id);
			if (known) return known;
			const execution = await main.execution(id);
			if (execution && !['new', 'running', 'waiting'].includes(execution.status)) finished.set(id, execution);
			return execution;
		},
	};
}

/**
 * One Workflow Call Completed callback of LARGE_CALLBACK_CALLS calls, AES-encrypted and signed,
 * through nginx and the idle topology: how long the acknowledgement and the execution take, how
 * much memory the processes reach, and whether every call arrived as its own row.
 * @param {QueueMode} queue
 * @param {import('../lib/load/plan').LoadWorkflow} target a Workflow Call Completed workflow
 */
async function sendLargeCallback(queue, target) {
	const callback = planCallback(target, 'K', { calls: LARGE_CALLBACK_CALLS, encrypt: true, genuine: true }, queue.urlOf);
	const processes = {
		...Object.fromEntries(queue.webhooks.map((instance, index) => [`webhook_processor_${String.fromCharCode(97 + index)}`, instance])),
		...Object.fromEntries(queue.workers.map((worker, index) => [`worker_${index + 1}`, worker])),
	};
	const pids = Object.fromEntries(Object.entries(processes).map(([name, instance]) => [name, /** @type {number} */ (instance.child?.pid)]));
	const idleRss = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMegabytes(pid)]));
	const peakRss = { ...idleRss };
	const sampler = setInterval(() => {
		for (const [name, pid] of Object.entries(pids)) peakRss[name] = Math.max(peakRss[name], rssMegabytes(pid));
	}, 100);
	try {
		const afterId = await queue.main.newestExecutionId();
		log(`Sending one ${LARGE_CALLBACK_CALLS}-call callback (${(callback.request.body.length / 1e6).toFixed(2)} MB encrypted)…`);
		const sent = Date.now();
		const answer = await postCallback(callback.request.url.toString(), { body: callback.request.body.toString(), headers: callback.request.headers }, 60_000);
		const ackMs = Date.now() - sent;
		const execution = await queue.main.waitForExecutionAfter(target.workflow.id, afterId, 120_000);
		const finishedMs = Date.now() - sent;
		const items = execution.runData[target.definition.displayName]?.[0]?.data?.main[0] ?? [];
		const written = execution.runData[WRITE_ROW_NODE]?.[0]?.data?.main[0] ?? [];
		const writes = writesByKey(queue.postgres);
		const missing = callback.rows.filter((row) => !writes.has(row));
		const writtenTwice = callback.rows.filter((row) => (writes.get(row) ?? 0) > 1);
		const executionMs = execution.stoppedAt ? Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt) : null;
		return {
			calls: LARGE_CALLBACK_CALLS,
			body_bytes: callback.request.body.length,
			status: answer.status,
			ack_ms: ackMs,
			execution_status: execution.status,
			execution_ms: executionMs,
			sent_to_finished_ms: finishedMs,
			items_on_trigger_output: items.length,
			items_written_by_postgres_node: written.length,
			rows_in_table: LARGE_CALLBACK_CALLS - missing.length,
			idle_rss_mb: idleRss,
			peak_rss_mb: peakRss,
			problems: [
				answer.status !== 200 && `the ${LARGE_CALLBACK_CALLS}-call callback was answered ${answer.status}: ${answer.body.slice(0, 200)}`,
				execution.status !== 'success' && `the ${LARGE_CALLBACK_CALLS}-call callback's execution ended ${execution.status}`,
				items.length !== LARGE_CALLBACK_CALLS && `the ${LARGE_CALLBACK_CALLS}-call callback gave ${items.length} items`,
				written.length !== LARGE_CALLBACK_CALLS && `the Postgres node after the trigger wrote ${written.length} items, not ${LARGE_CALLBACK_CALLS}`,
				missing.length > 0 && `${missing.length} calls of the ${LARGE_CALLBACK_CALLS}-call callback have no row (${missing.slice(0, 5).join(', ')})`,
				writtenTwice.length > 0 && `${writtenTwice.length} calls of the ${LARGE_CALLBACK_CALLS}-call callback were written twice or more`,
			].filter((problem) => typeof problem === 'string'),
		};
	} finally {
		clearInterval(sampler);
	}
}

/**
 * Runs the backfill workflow once through n8n's REST API, as the editor's Execute Workflow does
 * (n8n runs a manual execution on the main process), and judges the table after it against `before`.
 * @param {QueueMode} queue
 * @param {string} workflowId
 * @param {PlannedCallback[]} callbacks every callback sent
 * @param {Map<string, number>} before the table's writes per key before the backfill
 */
async function runBackfill(queue, workflowId, callbacks, before) {
	const started = Date.now();
	const afterId = await queue.main.latestExecutionId(workflowId);
	await queue.main.rest('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: BACKFILL_TRIGGER } });
	const execution = await queue.main.waitForExecutionAfter(workflowId, afterId, 60_000);
	const written = execution.runData[WRITE_ROW_NODE]?.[0]?.data?.main[0]?.length ?? 0;
	const verdict = judgeBackfill({ callbacks, before, after: writesByKey(queue.postgres), written, status: execution.status });
	return { report: { ...verdict.report, seconds: Math.round((Date.now() - started) / 1000) }, problems: verdict.problems };
}

/**
 * One set's verdict: what AIRudder saw, rows in the table (missing, written more than once) and
 * in n8n's records, and the problems that fail the run.
 * @param {keyof typeof SETS} set
 * @param {PlannedCallback[]} plan the set's callbacks
 * @param {Awaited<ReturnType<typeof emulateAirudder>>['deliveries']} deliveries in the plan's order
 * @param {Map<string, number>} writes the table's writes per key
 * @param {Awaited<ReturnType<typeof auditRows>>} rows the set's rows in n8n's records
 * @param {Awaited<ReturnType<typeof auditLoad>>} audit the set's executions in n8n's records
 */
function judgeSet(set, plan, deliveries, writes, rows, audit) {
	const genuine = plan.flatMap((callback, index) => (callback.genuine ? [{ callback, delivery: deliveries[index] }] : []));
	const retried = new Set(genuine.filter(({ delivery }) => delivery.attempts.length > 1).map(({ callback }) => callback.marker));
	const acknowledged = genuine.filter(({ delivery }) => delivery.acknowledged).map(({ callback }) => callback);
	const dropped = genuine.filter(({ delivery }) => !delivery.acknowledged).map(({ callback }) => callback.marker);
	const rowsOf = (/** @type {PlannedCallback[]} */ callbacks) => callbacks.flatMap((callback) => callback.rows.map((row) => ({ row, marker: callback.marker })));
	const missing = rowsOf(acknowledged).filter(({ row }) => !writes.has(row)).map(({ row }) => row);
	const writtenAgain = rowsOf(genuine.map(({ callback }) => callback)).filter(({ row }) => (writes.get(row) ?? 0) > 1);
	// With the trigger's defaults, a callback AIRudder sent again may have run at each attempt.
	const excused = set === 'default' ? writtenAgain.filter(({ marker }) => retried.has(marker)) : [];
	const doubled = writtenAgain.filter((entry) => !excused.includes(entry)).map(({ row }) => row);
	const disagreeing = [...writes.entries()].filter(([row, count]) => rows.reached.has(row) && rows.reached.get(row) !== count).map(([row]) => row);
	const unexcusedRuns = audit.duplicated.filter((marker) => set !== 'default' || !retried.has(marker));
	const notSucceeded = audit.notSucceeded.filter(({ marker }) => !retried.has(marker));
	const report = {
		...emulatorReport(plan, { seconds: LOAD_SECONDS, deliveries }, rows),
		callbacks_retried: retried.size,
		table_rows_expected: rowsOf(acknowledged).length,
		table_rows_missing: missing.length,
		table_rows_written_twice_or_more: doubled.length,
		table_rows_written_again_by_airudder_retries: excused.length,
		table_and_n8n_records_disagree: disagreeing.length,
		callbacks_run_more_than_once: audit.duplicated.length,
	};
	const problems = [
		dropped.length > 0 && `${set}: ${dropped.length} genuine callbacks were never answered 200 in time and AIRudder dropped them: ${dropped.slice(0, 10).join(', ')}`,
		report.forged_not_answered_401 > 0 && `${set}: ${report.forged_not_answered_401} forgeries were not answered 401`,
		audit.forgeriesExecuted > 0 && `${set}: ${audit.forgeriesExecuted} forgeries started an execution`,
		missing.length > 0 && `${set}: ${missing.length} rows of callbacks answered 200 are not in the table: ${missing.slice(0, 10).join(', ')}`,
		doubled.length > 0 && `${set}: ${doubled.length} rows were written twice or more: ${doubled.slice(0, 10).join(', ')}`,
		unexcusedRuns.length > 0 && `${set}: ${unexcusedRuns.length} callbacks ran more than once: ${unexcusedRuns.slice(0, 10).join(', ')}`,
		audit.lost.length > 0 && `${set}: ${audit.lost.length} genuine callbacks have no execution holding their items: ${audit.lost.slice(0, 10).join(', ')}`,
		audit.wrongItemCount.length > 0 && `${set}: ${audit.wrongItemCount.length} executions hold the wrong number of items`,
		audit.unexpectedItems > 0 && `${set}: ${audit.unexpectedItems} items name no callback that was sent`,
		notSucceeded.length > 0 && `${set}: executions of callbacks answered 200 at once did not succeed: ${notSucceeded.map(({ marker, status }) => `${marker} (${status})`).join(', ')}`,
	].filter((problem) => typeof problem === 'string');
	return { report, problems };
}

async function main() {
	stopTrackedOnExitOrSignal();
	const started = Date.now();
	const sets = Object.fromEntries(
		Object.entries(SETS).map(([set, variant]) => [set, loadWorkflows({ ...variant, lastNode: writeRowNode })]),
	);
	const slow = minimalTriggerWorkflow('AirudderSlow', 'workflow-call-completed', {}, { waitSeconds: SLOW_WAIT_SECONDS, lastNode: writeRowNode });
	const everyWorkflow = [...Object.values(sets).flat(), slow];
	const backfill = backfillWorkflow(writeRowNode);
	const airudderApi = await startLocalAirudderApi();
	const queue = await launchQueueMode({
		folder: path.join(cacheRoot(), 'scale'),
		env: RECOMMENDED_SETTINGS,
		workflows: everyWorkflow.map(({ workflow }) => workflow),
		drafts: [backfill],
		webhooks: 2,
		beforeN8n: (postgres) => ({ credentials: [...prepareRowStore(postgres).credentials, backfillApiCredential(airudderApi.url)] }),
		log,
	}).catch(async (error) => {
		await airudderApi.close();
		throw error;
	});
	const { main: editorProcess, workers, webhooks, urlOf } = queue;
	try {
		const afterId = await editorProcess.newestExecutionId();
		const names = /** @type {Array<keyof typeof SETS>} */ (Object.keys(SETS));
		const plans = names.map((set) => planLoad(CALLBACKS / names.length, urlOf, { workflows: sets[set], markerPrefix: SETS[set].markerPrefix }));
		const plan = Array.from({ length: CALLBACKS }, (_, index) => plans[index % names.length][Math.floor(index / names.length)]);
		const slowOnes = Array.from({ length: SLOW_CALLBACKS }, (_, index) =>
			planCallback(slow, `S${index}`, { calls: 1, encrypt: index % 2 === 1, genuine: true }, urlOf),
		);
		airudderApi.addWorkflowCalls(callsAirudderHolds([...plan, ...slowOnes]));
		/** @type {number[]} */
		const slowAnswers = [];
		const sendSlowOnes = async () => {
			const answers = await Promise.all(slowOnes.map(({ request }) => postCallback(request.url.toString(), { body: request.body.toString(), headers: request.headers })));
			slowAnswers.push(...answers.map(({ status }) => status));
			// Long enough for both workers to take their share of the waiting executions.
			await sleep(3_000);
		};
		log(
			`Sending ${CALLBACKS} callbacks at ${CALLBACKS_PER_SECOND}/s to nginx as AIRudder does (deadline ${AIRUDDER_CONTRACT.deadlineMs / 1000} s, ` +
				`${AIRUDDER_CONTRACT.retries} retries ${RETRY_DELAY_MS / 1000} s apart); worker A and webhook processor B are killed mid-run…`,
		);
		// n8n keeps compiling and loading for a while after it says it is ready.
		await waitUntilQuiet([editorProcess, ...webhooks, ...workers].map((instance) => /** @type {number} */ (instance.child?.pid)), { timeoutMs: 60_000 });
		const loadStarted = Date.now();
		const kills = Promise.all([
			killAndRestart(workers[0], 'worker A', KILL_WORKER_AT_MS, sendSlowOnes),
			killAndRestart(webhooks[1], 'webhook processor B', KILL_WEBHOOK_AT_MS),
		]);
		const emulation = await emulateAirudder(plan, {
			dueMs: atRate(CALLBACKS_PER_SECOND),
			deadlineMs: AIRUDDER_CONTRACT.deadlineMs,
			retryDelayMs: RETRY_DELAY_MS,
			retries: AIRUDDER_CONTRACT.retries,
		});
		const loadEnded = Date.now();
		const killProblem = (await kills).find(Boolean);
		if (killProblem) throw killProblem;
		log(`Sent in ${emulation.seconds.toFixed(1)} s with retries; auditing the table and n8n's execution records…`);

		const records = readOnce(editorProcess);
		/** @type {Record<string, number>} */
		const executions = {};
		const countStatuses = (/** @type {Record<string, number>} */ statuses) => {
			for (const [status, count] of Object.entries(statuses)) executions[status] = (executions[status] ?? 0) + count;
		};
		// n8n's records first: reading them waits for every execution to end, so the table is complete after.
		// One time limit for every read, so that executions n8n never ends cannot hold each read in turn.
		const auditDeadline = Date.now() + AUDIT_WAIT_MS;
		const timeLeft = () => Math.max(0, auditDeadline - Date.now());
		const audits = [];
		for (const [index, set] of names.entries()) {
			const mine = plan.flatMap((callback, at) => (at % names.length === index ? [{ callback, delivery: emulation.deliveries[at] }] : []));
			const minePlan = mine.map(({ callback }) => callback);
			const options = { afterId, timeoutMs: timeLeft(), workflows: sets[set] };
			const setAudit = await auditLoad(records, minePlan, options);
			const setRows = await auditRows(records, minePlan, { ...options, timeoutMs: timeLeft(), downstream: WRITE_ROW_NODE });
			countStatuses(setAudit.statuses);
			audits.push({ set, minePlan, deliveries: mine.map(({ delivery }) => delivery), setAudit, setRows });
		}
		const audit = await auditLoad(records, slowOnes, { afterId, timeoutMs: timeLeft(), workflows: [slow] });
		countStatuses(audit.statuses);
		const writes = writesByKey(queue.postgres);
		/** @type {Record<string, object>} */
		const perSet = {};
		/** @type {string[]} */
		const problems = [];
		for (const { set, minePlan, deliveries, setAudit, setRows } of audits) {
			const verdict = judgeSet(set, minePlan, deliveries, writes, setRows, setAudit);
			perSet[set] = verdict.report;
			problems.push(...verdict.problems);
		}

		// A waiting callback whose items are gone ran on the killed worker.
		const lostWithWorker = audit.lost;
		const failedExecutions = (audit.statuses.error ?? 0) + (audit.statuses.crashed ?? 0);
		const slowRowsMissing = slowOnes.filter((callback) => !writes.has(callback.rows[0])).length;
		log('Running the backfill (examples/backfill-yesterdays-calls.json) once against the local AIRudder API…');
		const backfilled = await runBackfill(queue, backfill.id, [...plan, ...slowOnes], writes);
		problems.push(...backfilled.problems);
		const report = {
			n8n_version: CURRENT_N8N,
			mode: `queue (main, 2 webhook processors behind nginx least_conn, 2 workers; Redis, PostgreSQL), ${settingsText}`,
			callbacks: CALLBACKS,
			callbacks_per_s_sent: CALLBACKS_PER_SECOND,
			deadline_ms: AIRUDDER_CONTRACT.deadlineMs,
			retry_delay_ms: RETRY_DELAY_MS,
			retries: AIRUDDER_CONTRACT.retries,
			seconds_with_retries: Number(emulation.seconds.toFixed(1)),
			per_webhook_processor: perProcessor(queue, loadStarted, loadEnded),
			sets: perSet,
			executions,
			waiting_callbacks_at_kill: SLOW_CALLBACKS,
			waiting_callbacks_failed_with_killed_worker: lostWithWorker.length,
			waiting_callbacks_without_row: slowRowsMissing,
			executions_failed_with_killed_worker: failedExecutions,
			backfill: backfilled.report,
			large_callback: await sendLargeCallback(queue, sets.ignoreRepeats[0]),
			loadavg_after: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
			took: formatDuration(Date.now() - started),
		};
		saveReport('load-queue', report);

		problems.push(
			...[
				slowAnswers.some((status) => status !== 200) && `the waiting callbacks were answered ${slowAnswers.join(', ')}`,
				lostWithWorker.length > Math.min(WORKER_CONCURRENCY, failedExecutions) &&
					`${lostWithWorker.length} waiting callbacks lost their items, more than the ${failedExecutions} failed executions of the killed worker`,
				slowRowsMissing > lostWithWorker.length && `${slowRowsMissing} waiting callbacks have no row, more than the ${lostWithWorker.length} the killed worker lost`,
				audit.duplicated.length > 0 && `${audit.duplicated.length} waiting callbacks ran more than once`,
				audit.notSucceeded.some(({ status }) => status !== 'crashed' && status !== 'error') &&
					`executions left ${audit.notSucceeded.map(({ status }) => status).join(', ')}, neither finished nor marked crashed`,
				...report.large_callback.problems,
			].filter((problem) => typeof problem === 'string'),
		);
		log(JSON.stringify(report));
		if (problems.length > 0) {
			for (const problem of problems) console.error(`FAIL: ${problem}`);
			process.exitCode = 1;
		} else {
			log(
				`PASS: every callback answered 200 has its rows in PostgreSQL, none written twice but by AIRudder's retries of ` +
					`unanswered callbacks under the trigger's defaults, with a worker and a webhook processor killed mid-run; ` +
					`${report.waiting_callbacks_failed_with_killed_worker} waiting callbacks were lost with the killed worker, and one run of the backfill ` +
					`brought back ${report.backfill.rows_brought_back} rows: every genuine row is in the table once (${report.took}).`,
			);
		}
	} finally {
		try {
			await queue.stop();
		} finally {
			await airudderApi.close();
		}
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.stack : error);
	process.exit(1);
});
