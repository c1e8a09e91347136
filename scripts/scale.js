#!/usr/bin/env node
// @ts-check
/**
 * npm run test:scale: our package in n8n's queue mode, the topology users run when one n8n is not
 * enough. Redis and PostgreSQL (from Debian's packages), a main process, a webhook processor and
 * two workers, all on 127.0.0.1. It sends the no-loss load to the webhook processor, kills one
 * worker with SIGKILL mid-run and restarts it, then audits every callback against n8n's records.
 *
 * Pass: every genuine callback has exactly one execution, no forgery has any, and every execution
 * holds exactly its callback's items, except those the killed worker was running. n8n 2.41 never
 * re-runs those (its queue allows no stalled job back); it marks them failed and replaces their
 * data with the error, so their items are gone from its records. That is n8n's guarantee, and
 * the run checks that nothing beyond it is lost: only waiting callbacks, at most one worker's
 * concurrency, each with a failed execution.
 */
const fs = require('node:fs');
const path = require('node:path');

const { postCallback } = require('./lib/callbackRequest');
const { minimalTriggerWorkflow } = require('./lib/demo');
const { auditLoad, drive, loadReport, loadWorkflows, planCallback, planLoad, saveReport } = require('./lib/load');
const { launchLocalN8n, packPackage } = require('./lib/localN8n');
const { N8nInstance } = require('./lib/n8nInstance');
const { findFreePortPair } = require('./lib/ports');
const { stopTrackedOnExit } = require('./lib/processes');
const { cacheRoot, CURRENT_N8N, formatDuration, provisionN8n } = require('./lib/runtime');
const { ensureDebianPackages, startPostgres, startRedis } = require('./lib/services');

const CALLBACKS = 2000;
const CONCURRENCY = 50;
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

async function main() {
	stopTrackedOnExit();
	const started = Date.now();
	const folder = path.join(cacheRoot(), 'scale');
	fs.rmSync(folder, { recursive: true, force: true });
	await ensureDebianPackages(log);
	const redis = await startRedis(path.join(folder, 'redis'), await findFreePortPair());
	const postgres = await startPostgres(path.join(folder, 'postgres'), await findFreePortPair());
	log(`Redis on 127.0.0.1:${redis.port}, PostgreSQL on 127.0.0.1:${postgres.port}`);

	/** @type {NodeJS.ProcessEnv} */
	const queueMode = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database.name,
		DB_POSTGRESDB_USER: postgres.database.user,
		DB_POSTGRESDB_PASSWORD: '',
		// Production webhooks go to the webhook processors only, as behind a load balancer.
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		// Find a dead worker's executions in seconds rather than minutes, so the run stays short.
		QUEUE_WORKER_LOCK_DURATION: '10000',
		QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
		QUEUE_WORKER_STALLED_INTERVAL: '5000',
		N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '10',
	};
	const slow = minimalTriggerWorkflow('AirudderSlow', 'chatbot-session-ended', {}, { waitSeconds: SLOW_WAIT_SECONDS });
	const audited = [...loadWorkflows(), slow];
	const userFolder = path.join(folder, 'n8n');
	const runtime = await provisionN8n(CURRENT_N8N, { log });
	const main = await launchLocalN8n({
		version: CURRENT_N8N,
		userFolder,
		port: await findFreePortPair(),
		tarball: await packPackage(),
		env: queueMode,
		extra: { credentials: [], workflows: audited.map(({ workflow }) => workflow) },
		log,
	});
	/** @param {'webhook' | 'worker'} role @param {string} name */
	const processOf = async (role, name) =>
		new N8nInstance({ runtime, userFolder, port: await findFreePortPair(), env: queueMode, role, name });
	const webhook = await processOf('webhook', 'webhook');
	const workers = [await processOf('worker', 'worker-a'), await processOf('worker', 'worker-b')];
	const everything = [main.instance, webhook, ...workers];
	try {
		log('Starting a webhook processor and two workers…');
		await Promise.all([webhook.start(), ...workers.map((worker) => worker.start())]);

		const afterId = await main.instance.newestExecutionId();
		const urlOf = (/** @type {string} */ webhookPath) => `${webhook.baseUrl}/webhook/${webhookPath}`;
		const load = planLoad(CALLBACKS, urlOf);
		const slowOnes = Array.from({ length: SLOW_CALLBACKS }, (_, index) =>
			planCallback(slow, `S${index}`, { calls: 1, encrypt: index % 2 === 1, genuine: true }, urlOf),
		);
		log(`Sending ${CALLBACKS} callbacks at concurrency ${CONCURRENCY} to the webhook processor; worker A is killed after ${KILL_AFTER}…`);
		/** @type {Promise<void> | undefined} */
		let killAndRestart;
		/** @type {number[]} */
		const slowAnswers = [];
		const run = await drive(
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
					})();
				}
				return load[index].request;
			},
			load.length,
			CONCURRENCY,
		);
		await killAndRestart;
		log(`Sent in ${run.seconds.toFixed(1)} s; auditing n8n's execution records…`);
		const plan = [...load, ...slowOnes];
		const audit = await auditLoad(main.instance, plan, { afterId, timeoutMs: 600_000, workflows: audited });

		// A waiting callback whose items are gone ran on the killed worker; any other loss is ours.
		const lostWithWorker = audit.lost.filter((marker) => marker.startsWith('S'));
		const lostByUs = audit.lost.filter((marker) => !marker.startsWith('S'));
		const failedExecutions = (audit.statuses.error ?? 0) + (audit.statuses.crashed ?? 0);
		const report = {
			...loadReport(
				{ n8nVersion: CURRENT_N8N, mode: 'queue (main, 1 webhook processor, 2 workers; Redis, PostgreSQL)', concurrency: CONCURRENCY },
				load,
				run,
				audit,
			),
			lost: lostByUs.length,
			waiting_callbacks_at_kill: SLOW_CALLBACKS,
			waiting_callbacks_failed_with_killed_worker: lostWithWorker.length,
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
			audit.wrongItemCount.length > 0 && `${audit.wrongItemCount.length} executions hold the wrong number of items`,
			audit.forgeriesExecuted > 0 && `${audit.forgeriesExecuted} forgeries started an execution`,
			audit.unexpectedItems > 0 && `${audit.unexpectedItems} items name no callback that was sent`,
			audit.executions !== report.genuine + SLOW_CALLBACKS && `${audit.executions} executions for ${report.genuine + SLOW_CALLBACKS} genuine callbacks`,
			slowAnswers.some((status) => status !== 200) && `the waiting callbacks were answered ${slowAnswers.join(', ')}`,
			audit.notSucceeded.some(({ status }) => status !== 'crashed' && status !== 'error') &&
				`executions left ${audit.notSucceeded.map(({ status }) => status).join(', ')}, neither finished nor marked crashed`,
			audit.notSucceeded.length > WORKER_CONCURRENCY &&
				`${audit.notSucceeded.length} executions did not succeed, more than the ${WORKER_CONCURRENCY} the killed worker could run`,
		].filter(Boolean);
		log(JSON.stringify(report));
		if (problems.length > 0) {
			for (const problem of problems) console.error(`FAIL: ${problem}`);
			process.exitCode = 1;
		} else {
			log(`PASS: no callback lost or run twice in queue mode with a worker killed mid-run (${report.took}).`);
		}
	} finally {
		for (const instance of everything) await instance.stop();
		await redis.stop();
		await postgres.stop();
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.stack : error);
	process.exit(1);
});
