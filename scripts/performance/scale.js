#!/usr/bin/env node
// @ts-check
/**
 * npm run test:scale: our package in n8n's queue mode with the recommended settings
 * (lib/n8nSettings.js), the topology users run when one n8n is not enough. Redis and
 * PostgreSQL (from Debian's packages), a main process, a webhook processor and two workers, all on
 * 127.0.0.1. It sends the no-loss load to the webhook processor at a fixed rate, as AIRudder
 * sends, kills one worker with SIGKILL mid-run and restarts it, then audits every callback against
 * n8n's records. Last, one 1000-call callback goes through the idle topology.
 *
 * Pass: every genuine callback has exactly one execution, no forgery has any, and every execution
 * holds exactly its callback's items, except those the killed worker was running. n8n 2.41 never
 * re-runs those (its queue allows no stalled job back); it marks them failed and replaces their
 * data with the error, so their items are gone from its records. That is n8n's guarantee, and
 * the run checks that nothing beyond it is lost: only waiting callbacks, at most one worker's
 * concurrency, each with a failed execution. The 1000-call callback must arrive whole, one item
 * per call.
 */
const path = require('node:path');

const { postCallback } = require('../lib/callbackRequest');
const { minimalTriggerWorkflow } = require('../lib/demo');
const { auditLoad, auditRows } = require('../lib/load/audit');
const { loadWorkflows, planCallback, planLoad } = require('../lib/load/plan');
const { loadReport, saveReport } = require('../lib/load/report');
const { driveAtRate } = require('../lib/load/sender');
const { rssMegabytes, stopTrackedOnExit } = require('../lib/processes');
const { cacheRoot, CURRENT_N8N, formatDuration } = require('../lib/runtime');
const { RECOMMENDED_SETTINGS } = require('./lib/n8nSettings');
const { launchQueueMode } = require('./lib/queueMode');

const CALLBACKS = 2000;
/**
 * AIRudder sends each callback when its call ends, whatever the answers to earlier ones take, so
 * the load arrives at a fixed rate. This one is below what `npm run capacity` measured the
 * recommended setup to sustain with p99 under 2 s, with room for the mix's 100-call batches.
 */
const CALLBACKS_PER_SECOND = 5;
/** The largest Workflow Call Completed callback measured: 1000 calls in one body (about 1.4 MB). */
const LARGE_CALLBACK_CALLS = 1000;
/** `n8n worker --concurrency`, set in n8nInstance.js: the most executions one worker runs at once. */
const WORKER_CONCURRENCY = 5;
const KILL_AFTER = Math.floor(CALLBACKS * 0.4);
const RESTART_AFTER_MS = 5_000;
/**
 * Executions of the load take milliseconds, so a kill would rarely find one running. Callbacks
 * to a workflow that waits make sure the killed worker is in the middle of some.
 */
const SLOW_CALLBACKS = 2 * WORKER_CONCURRENCY;
const SLOW_WAIT_SECONDS = 30;

/** @param {string} line */
const log = (line) => console.log(line);

const settingsText = Object.entries(RECOMMENDED_SETTINGS).map(([name, value]) => `${name}=${value}`).join(', ');

/**
 * One Workflow Call Completed callback of LARGE_CALLBACK_CALLS calls, AES-encrypted and signed,
 * through the idle topology: how long the acknowledgement and the execution take, how much memory
 * the webhook processor and the workers reach, and whether every call arrived as its own item.
 * @param {Awaited<ReturnType<typeof launchQueueMode>>} queue
 * @param {import('../lib/load/plan').LoadWorkflow} target the Workflow Call Completed workflow
 */
async function sendLargeCallback(queue, target) {
	const callback = planCallback(target, 'K', { calls: LARGE_CALLBACK_CALLS, encrypt: true, genuine: true }, queue.urlOf);
	const processes = { webhook_processor: queue.webhook, ...Object.fromEntries(queue.workers.map((worker, index) => [`worker_${index + 1}`, worker])) };
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
		const setItems = execution.runData.Set?.[0]?.data?.main[0] ?? [];
		const callIds = new Set(items.map(({ json }) => json.call_id));
		const missing = Array.from({ length: LARGE_CALLBACK_CALLS }, (_, index) => `K-${index}`).filter((id) => !callIds.has(id));
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
			items_after_set_node: setItems.length,
			calls_missing: missing.length,
			idle_rss_mb: idleRss,
			peak_rss_mb: peakRss,
			problems: [
				answer.status !== 200 && `the ${LARGE_CALLBACK_CALLS}-call callback was answered ${answer.status}: ${answer.body.slice(0, 200)}`,
				execution.status !== 'success' && `the ${LARGE_CALLBACK_CALLS}-call callback's execution ended ${execution.status}`,
				(missing.length > 0 || items.length !== LARGE_CALLBACK_CALLS) &&
					`the ${LARGE_CALLBACK_CALLS}-call callback gave ${items.length} items, ${missing.length} calls missing (${missing.slice(0, 5).join(', ')})`,
				setItems.length !== LARGE_CALLBACK_CALLS && `the Set node after the trigger got ${setItems.length} items, not ${LARGE_CALLBACK_CALLS}`,
			].filter(Boolean),
		};
	} finally {
		clearInterval(sampler);
	}
}

async function main() {
	stopTrackedOnExit();
	const started = Date.now();
	const slow = minimalTriggerWorkflow('AirudderSlow', 'chatbot-session-ended', {}, { waitSeconds: SLOW_WAIT_SECONDS });
	const audited = [...loadWorkflows(), slow];
	const queue = await launchQueueMode({
		folder: path.join(cacheRoot(), 'scale'),
		env: RECOMMENDED_SETTINGS,
		workflows: audited.map(({ workflow }) => workflow),
		log,
	});
	const { main: editorProcess, workers, urlOf } = queue;
	try {
		const afterId = await editorProcess.newestExecutionId();
		const load = planLoad(CALLBACKS, urlOf);
		const slowOnes = Array.from({ length: SLOW_CALLBACKS }, (_, index) =>
			planCallback(slow, `S${index}`, { calls: 1, encrypt: index % 2 === 1, genuine: true }, urlOf),
		);
		log(`Sending ${CALLBACKS} callbacks at ${CALLBACKS_PER_SECOND}/s to the webhook processor; worker A is killed after ${KILL_AFTER}…`);
		/** @type {Promise<unknown> | undefined} */
		let killAndRestart;
		/** @type {number[]} */
		const slowAnswers = [];
		const run = await driveAtRate(
			(index) => {
				if (index === KILL_AFTER) {
					killAndRestart = (async () => {
						const answers = await Promise.all(slowOnes.map(({ request }) => postCallback(request.url.toString(), { body: request.body.toString(), headers: request.headers })));
						slowAnswers.push(...answers.map(({ status }) => status));
						// Long enough for both workers to take their share of the waiting executions.
						await new Promise((resolve) => setTimeout(resolve, 3_000));
						workers[0].kill();
						log(`  worker A killed (SIGKILL) at callback ${KILL_AFTER}`);
						await new Promise((resolve) => setTimeout(resolve, RESTART_AFTER_MS));
						await workers[0].start();
						log('  worker A restarted');
					})().catch((/** @type {unknown} */ error) => error);
				}
				return load[index].request;
			},
			{ ratePerSecond: CALLBACKS_PER_SECOND, seconds: load.length / CALLBACKS_PER_SECOND, timeoutMs: 60_000 },
		);
		// Kept as a value until now, so a failed restart cannot end the run before the load is done.
		const killProblem = await killAndRestart;
		if (killProblem) throw killProblem;
		log(`Sent in ${run.seconds.toFixed(1)} s; auditing n8n's execution records…`);
		const plan = [...load, ...slowOnes];
		const audit = await auditLoad(editorProcess, plan, { afterId, timeoutMs: 600_000, workflows: audited });
		// What the user's sheet gets: rows at the node after the trigger, not callbacks at the trigger.
		const rows = await auditRows(editorProcess, plan, { afterId, timeoutMs: 60_000, workflows: audited, downstream: 'Set' });

		// A waiting callback whose items are gone ran on the killed worker; any other loss is ours.
		const lostWithWorker = audit.lost.filter((marker) => marker.startsWith('S'));
		const lostByUs = audit.lost.filter((marker) => !marker.startsWith('S'));
		const failedExecutions = (audit.statuses.error ?? 0) + (audit.statuses.crashed ?? 0);
		const report = {
			...loadReport(
				{ n8nVersion: CURRENT_N8N, mode: `queue (main, 1 webhook processor, 2 workers; Redis, PostgreSQL), ${settingsText}`, rate: CALLBACKS_PER_SECOND },
				load,
				run,
				audit,
			),
			lost: lostByUs.length,
			waiting_callbacks_at_kill: SLOW_CALLBACKS,
			waiting_callbacks_failed_with_killed_worker: lostWithWorker.length,
			executions_failed_with_killed_worker: rows.notSucceeded,
			rows_expected: rows.rowsExpected,
			rows_reached_set_node_once: rows.once,
			rows_reached_set_node_twice_or_more: rows.twiceOrMore.length,
			rows_lost_with_killed_worker: rows.never.length,
			large_callback: await sendLargeCallback(queue, audited[0]),
			took: formatDuration(Date.now() - started),
		};
		saveReport('load-queue', report);

		const problems = [
			report.genuine_not_answered_200.length > 0 &&
				`${report.genuine_not_answered_200.length} genuine callbacks were not answered 200: ${report.genuine_not_answered_200.slice(0, 10).join(', ')}`,
			report.forged_not_answered_401.length > 0 && `${report.forged_not_answered_401.length} forgeries were not answered 401`,
			lostByUs.length > 0 && `${lostByUs.length} genuine callbacks have no execution holding their items: ${lostByUs.slice(0, 10).join(', ')}`,
			lostWithWorker.length > Math.min(WORKER_CONCURRENCY, failedExecutions) &&
				`${lostWithWorker.length} waiting callbacks lost their items, more than the ${failedExecutions} failed executions of the killed worker`,
			audit.duplicated.length > 0 && `${audit.duplicated.length} callbacks ran more than once: ${audit.duplicated.slice(0, 10).join(', ')}`,
			rows.twiceOrMore.length > 0 && `${rows.twiceOrMore.length} rows reached the Set node twice or more: ${rows.twiceOrMore.slice(0, 10).join(', ')}`,
			rows.never.some((row) => !row.startsWith('S')) &&
				`rows of callbacks the killed worker never ran did not reach the Set node: ${rows.never.filter((row) => !row.startsWith('S')).slice(0, 10).join(', ')}`,
			audit.wrongItemCount.length > 0 && `${audit.wrongItemCount.length} executions hold the wrong number of items`,
			audit.forgeriesExecuted > 0 && `${audit.forgeriesExecuted} forgeries started an execution`,
			audit.unexpectedItems > 0 && `${audit.unexpectedItems} items name no callback that was sent`,
			audit.executions !== report.genuine + SLOW_CALLBACKS && `${audit.executions} executions for ${report.genuine + SLOW_CALLBACKS} genuine callbacks`,
			slowAnswers.some((status) => status !== 200) && `the waiting callbacks were answered ${slowAnswers.join(', ')}`,
			audit.notSucceeded.some(({ status }) => status !== 'crashed' && status !== 'error') &&
				`executions left ${audit.notSucceeded.map(({ status }) => status).join(', ')}, neither finished nor marked crashed`,
			audit.notSucceeded.length > WORKER_CONCURRENCY &&
				`${audit.notSucceeded.length} executions did not succeed, more than the ${WORKER_CONCURRENCY} the killed worker could run`,
			...report.large_callback.problems,
		].filter(Boolean);
		log(JSON.stringify(report));
		if (problems.length > 0) {
			for (const problem of problems) console.error(`FAIL: ${problem}`);
			process.exitCode = 1;
		} else {
			log(
				`PASS: no callback lost or run twice by the package in queue mode with a worker killed mid-run; ` +
					`${report.rows_lost_with_killed_worker} of ${report.rows_expected} rows never reached the Set node, those of the ` +
					`${rows.notSucceeded.length} executions n8n failed with the killed worker (${report.took}).`,
			);
		}
	} finally {
		await queue.stop();
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.stack : error);
	process.exit(1);
});
