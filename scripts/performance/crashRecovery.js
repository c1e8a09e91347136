#!/usr/bin/env node
// @ts-check
/**
 * npm run crash-recovery: what a user can still do about the executions n8n fails when a
 * queue-mode worker dies in the middle of them. The topology of `npm run test:scale` (Redis,
 * PostgreSQL, a main process, a webhook processor, two workers, the recommended settings) gets
 * genuine callbacks for a trigger → Wait → Set workflow; once every execution is running, one
 * worker is killed with SIGKILL and restarted. Then, for each execution that has not succeeded
 * once the live worker is done too, it records what n8n kept of it, what n8n's own retry (the
 * editor's two Retry buttons) answers, and whether any row of n8n's database still holds the
 * callback, which is what Callback → Decode would need.
 *
 * It observes and reports; it fails only when the run itself cannot tell (no worker was in the
 * middle of an execution when it died, or executions never ended).
 */
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const { postCallback } = require('../lib/callbackRequest');
const { minimalTriggerWorkflow } = require('../lib/demo');
const { auditLoad } = require('../lib/load/audit');
const { planCallback } = require('../lib/load/plan');
const { saveReport } = require('../lib/load/report');
const { stopTrackedOnExitOrSignal } = require('../lib/processes');
const { cacheRoot, CURRENT_N8N, formatDuration } = require('../lib/runtime');
const { RECOMMENDED_SETTINGS } = require('./lib/n8nSettings');
const { launchQueueMode } = require('./lib/queueMode');

/** Two workers of concurrency 5: both are busy, so the killed one surely holds executions. */
const CALLBACKS = 10;
/** Long enough that every execution is still in its Wait node when the worker is killed. */
const WAIT_SECONDS = 20;
const RESTART_AFTER_MS = 5_000;
/**
 * n8n fails a dead worker's jobs once their lock expires and the stalled check finds them (about
 * 15 s with queueMode.js's settings), then rechecks for up to 30 s before writing the failure.
 */
const SETTLE_TIMEOUT_MS = 180_000;
const UNFINISHED = ['new', 'running', 'waiting'];
/** A retry that really runs the workflow waits in its Wait node; one that hangs is given up on. */
const RETRY_TIMEOUT_MS = (WAIT_SECONDS + 40) * 1_000;

/** @param {string} line */
const log = (line) => console.log(line);

/** @typedef {Awaited<ReturnType<typeof launchQueueMode>>} QueueMode */
/** @typedef {{ id: string, status: string, startedAt: string, stoppedAt?: string | null }} ExecutionSummary */

/**
 * The workflow's executions newer than `afterId`, oldest first. A handful at most, so one page of
 * n8n's list holds them all.
 * @param {QueueMode['main']} main
 * @param {string} workflowId
 * @param {number} afterId
 * @returns {Promise<ExecutionSummary[]>}
 */
async function executionsAfter(main, workflowId, afterId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { results } = await main.rest('GET', `/executions?filter=${filter}&limit=100`);
	return /** @type {ExecutionSummary[]} */ (results).filter(({ id }) => Number(id) > afterId).sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * Polls until `done` holds for the workflow's executions after `afterId`, or throws after `timeoutMs`.
 * @param {QueueMode['main']} main
 * @param {string} workflowId
 * @param {number} afterId
 * @param {(executions: ExecutionSummary[]) => boolean} done
 * @param {number} timeoutMs
 * @param {string} what names the wait in the error
 */
async function waitForExecutions(main, workflowId, afterId, done, timeoutMs, what) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const executions = await executionsAfter(main, workflowId, afterId);
		if (done(executions)) return executions;
		if (Date.now() > deadline) {
			const statuses = executions.map(({ id, status }) => `#${id} ${status}`).join(', ');
			throw new Error(`The executions did not ${what} within ${timeoutMs / 1000} s: ${statuses || 'none recorded'}.`);
		}
		await sleep(1_000);
	}
}

/**
 * What n8n kept of an execution, as the editor's execution view reads it: among others, the call
 * ids on the trigger's output, and which of `markers` (the calls sent) appear anywhere in it.
 * @param {QueueMode['main']} main
 * @param {string} id
 * @param {import('../lib/load/plan').LoadWorkflow} target
 * @param {string[]} markers
 */
async function keptOf(main, id, target, markers) {
	const execution = await main.execution(id);
	if (!execution) throw new Error(`n8n has no execution #${id}.`);
	const triggerName = target.definition.displayName;
	const callIdField = /** @type {string[]} */ (target.definition.deliveryKey)[0];
	const triggerItems = execution.runData[triggerName]?.[0]?.data?.main[0] ?? execution.queued[triggerName]?.[0] ?? [];
	const text = JSON.stringify({ runData: execution.runData, queued: execution.queued });
	return {
		id,
		status: execution.status,
		started_at: execution.startedAt,
		stopped_at: execution.stoppedAt,
		error: execution.error,
		nodes_with_run_data: Object.keys(execution.runData),
		trigger_items_kept: triggerItems.length,
		call_ids: triggerItems.map(({ json }) => json[callIdField]),
		// A retry starts from these nodes, with these items; none left means nothing to run again.
		nodes_to_run_on_retry: Object.keys(execution.queued),
		calls_held_anywhere: markers.filter((marker) => text.includes(marker)),
	};
}

/**
 * Calls n8n's retry, as the editor's "Retry with currently saved workflow" (`loadWorkflow: true`)
 * and "Retry with original workflow" (`false`) do, and says what it answered and what the new
 * execution, if any, holds.
 * @param {QueueMode['main']} main
 * @param {string} id
 * @param {boolean} loadWorkflow
 * @param {import('../lib/load/plan').LoadWorkflow} target
 * @param {string[]} markers
 */
async function retry(main, id, loadWorkflow, target, markers) {
	const noAnswer = `n8n did not answer within ${RETRY_TIMEOUT_MS / 1000} s`;
	/** @type {{ id: string } | string | undefined} */
	let retried;
	try {
		// n8n answers once the new execution has ended, and in one run it never did.
		retried = await Promise.race([main.rest('POST', `/executions/${id}/retry`, { loadWorkflow }), sleep(RETRY_TIMEOUT_MS, noAnswer, { ref: false })]);
	} catch (error) {
		return { load_workflow: loadWorkflow, accepted: false, answer: error instanceof Error ? error.message : String(error) };
	}
	if (retried === noAnswer) return { load_workflow: loadWorkflow, accepted: false, answer: noAnswer };
	if (typeof retried !== 'object') return { load_workflow: loadWorkflow, accepted: true, answer: 'n8n answered without an execution' };
	const execution = await keptOf(main, retried.id, target, markers);
	return { load_workflow: loadWorkflow, accepted: true, answer: `new execution #${execution.id}, ${execution.status}`, new_execution: execution };
}

/**
 * Every row of every table in n8n's PostgreSQL database that contains one of `needles`, counted
 * per needle. n8n's Redis queue is not searched: its jobs carry ids only (workflow-runner.js).
 * @param {QueueMode['main']} main
 * @param {string[]} needles
 */
async function rowsContaining(main, needles) {
	// n8n's own PostgreSQL client, as the n8n install provides it.
	const { Client } = require(path.join(main.runtimeDir, 'node_modules', 'pg'));
	const env = main.extraEnv;
	const client = new Client({
		host: env.DB_POSTGRESDB_HOST,
		port: Number(env.DB_POSTGRESDB_PORT),
		user: env.DB_POSTGRESDB_USER,
		database: env.DB_POSTGRESDB_DATABASE,
	});
	await client.connect();
	try {
		const tables = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
		/** @type {Record<string, string[]>} needle → "table" per row found */
		const found = Object.fromEntries(needles.map((needle) => [needle, []]));
		const patterns = needles.map((needle) => `%${needle}%`);
		for (const { table_name: table } of tables.rows) {
			const rows = await client.query(`SELECT t::text AS row FROM "${table}" t WHERE t::text LIKE ANY($1)`, [patterns]);
			for (const { row } of rows.rows) for (const needle of needles) if (row.includes(needle)) found[needle].push(table);
		}
		return { tables_searched: tables.rows.length, found };
	} finally {
		await client.end();
	}
}

async function main() {
	stopTrackedOnExitOrSignal();
	const started = Date.now();
	const target = minimalTriggerWorkflow('AirudderCrashRecovery', 'chatbot-session-ended', {}, { waitSeconds: WAIT_SECONDS });
	const triggerName = target.definition.displayName;
	const workflowId = target.workflow.id;
	const queue = await launchQueueMode({
		folder: path.join(cacheRoot(), 'crash-recovery'),
		env: RECOMMENDED_SETTINGS,
		workflows: [target.workflow],
		log,
	});
	try {
		const { main: editor, workers, urlOf } = queue;
		const afterId = await editor.newestExecutionId();
		// Unique per run, so a search of the database cannot match an earlier run's rows.
		const runTag = Date.now().toString(36);
		const plan = Array.from({ length: CALLBACKS }, (_, index) =>
			planCallback(target, `crash-${runTag}-call${index}`, { calls: 1, encrypt: index % 2 === 1, genuine: true }, urlOf),
		);
		log(`Sending ${CALLBACKS} callbacks to a workflow that waits ${WAIT_SECONDS} s…`);
		const answers = await Promise.all(plan.map(({ request }) => postCallback(request.url.toString(), { body: request.body.toString(), headers: request.headers })));

		await waitForExecutions(editor, workflowId, afterId, (executions) => executions.filter(({ status }) => status === 'running').length === CALLBACKS, 60_000, 'all start running');
		workers[0].kill();
		const killedAt = new Date().toISOString();
		log(`Every execution is running; worker A was killed with SIGKILL at ${killedAt}.`);
		await sleep(RESTART_AFTER_MS);
		await workers[0].start();
		log('Worker A was restarted; waiting for n8n to settle every execution…');
		const settled = await waitForExecutions(
			editor,
			workflowId,
			afterId,
			(executions) => executions.length >= CALLBACKS && executions.every(({ status }) => !UNFINISHED.includes(status)),
			SETTLE_TIMEOUT_MS,
			'all end',
		);
		// A restarted worker can mark executions that another worker is still running as crashed;
		// that worker overwrites the mark when it finishes. What a user finds later is what is left.
		log(`Every execution has ended; waiting ${WAIT_SECONDS + 10} s for a status a live worker may still overwrite…`);
		await sleep((WAIT_SECONDS + 10) * 1_000);
		const lasting = await executionsAfter(editor, workflowId, afterId);
		const notSucceeded = lasting.filter(({ status }) => status !== 'success');
		if (notSucceeded.length === 0) throw new Error('Every execution succeeded: the killed worker was not in the middle of any, so there is nothing to observe.');

		const lostBefore = await auditLoad(editor, plan, { afterId, timeoutMs: 10_000, workflows: [target] });
		log(`${notSucceeded.length} executions did not succeed; trying n8n's retry on each…`);
		const markers = plan.map(({ marker }) => marker);
		const failed = [];
		for (const { id } of notSucceeded) {
			const kept = await keptOf(editor, id, target, markers);
			const retries = [await retry(editor, id, false, target, markers), await retry(editor, id, true, target, markers)];
			failed.push({ ...kept, retries });
		}
		const lostAfter = await auditLoad(editor, plan, { afterId, timeoutMs: 60_000, workflows: [target] });

		// What Decode would need: the body as AIRudder sent it. A plain body is found by its call id
		// in whatever form n8n would store it; an encrypted one hides the call id, so its text is searched.
		const lostCallbacks = plan.filter(({ marker }) => lostAfter.lost.includes(marker));
		const needlesOf = (/** @type {typeof plan[number]} */ { marker, request }) => (request.headers['Is-Encrypted'] ? [marker, request.body.toString()] : [marker]);
		const database = await rowsContaining(editor, lostCallbacks.flatMap(needlesOf));
		const tablesHolding = Object.fromEntries(lostCallbacks.map((callback) => [callback.marker, needlesOf(callback).flatMap((needle) => database.found[needle])]));

		const report = {
			n8n_version: CURRENT_N8N,
			mode: 'queue (main, 1 webhook processor, 2 workers of concurrency 5; Redis, PostgreSQL), recommended settings',
			workflow: `${triggerName} → Wait ${WAIT_SECONDS} s → Set`,
			callbacks: CALLBACKS,
			answers: answers.map(({ status }) => status),
			worker_killed_at: killedAt,
			restart_after_ms: RESTART_AFTER_MS,
			executions: lasting.map(({ id, status, startedAt }) => ({
				id,
				first_final_status: settled.find((execution) => execution.id === id)?.status,
				status,
				started_at: startedAt,
			})),
			failed,
			callbacks_without_execution_holding_them: { before_retries: lostBefore.lost, after_retries: lostAfter.lost },
			callbacks_run_twice: { before_retries: lostBefore.duplicated, after_retries: lostAfter.duplicated },
			database_rows_holding_a_lost_callback: {
				tables_searched: database.tables_searched,
				rows: Object.values(tablesHolding).reduce((sum, tables) => sum + tables.length, 0),
				per_callback: tablesHolding,
			},
			took: formatDuration(Date.now() - started),
		};
		saveReport('crash-recovery', report);
		log(JSON.stringify(report));
		const retried = failed.flatMap(({ retries }) => retries.flatMap(({ new_execution: execution }) => (execution ? [execution] : [])));
		const retriesWithCalls = retried.filter(({ calls_held_anywhere: calls }) => calls.length > 0).length;
		log(`${failed.length} of ${CALLBACKS} executions did not succeed after the kill (${failed.map(({ status }) => status).join(', ')}).`);
		log(`${failed.filter(({ calls_held_anywhere: calls }) => calls.length > 0).length} of them still hold the call they carried.`);
		log(
			retried.length > 0
				? `n8n's retry made ${retried.length} new executions (${retried.map(({ status }) => status).join(', ')}); ${retriesWithCalls} of them hold a call.`
				: `n8n's retry refused every one: ${failed[0].retries[0].answer}`,
		);
		log(`${lostAfter.lost.length} callbacks have no execution holding their call; ${report.database_rows_holding_a_lost_callback.rows} database rows hold their call id or body.`);
		log(`The report is in ${path.join(cacheRoot(), 'reports', 'crash-recovery.json')} (${report.took}).`);
	} finally {
		await queue.stop();
	}
}

module.exports = { main };

if (require.main === module) {
	main().catch((error) => {
		console.error(error instanceof Error ? error.stack : error);
		process.exit(1);
	});
}
