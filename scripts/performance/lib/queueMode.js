// @ts-check
/**
 * n8n's queue mode on 127.0.0.1, the topology users run when one n8n is not enough: Redis and
 * PostgreSQL (from Debian's packages), a main process that serves the editor only, webhook
 * processors that receive the callbacks (behind nginx when there are several), and workers that
 * run the executions. Used by `npm run test:scale` and `npm run capacity`.
 */
const fs = require('node:fs');
const path = require('node:path');

const { launchLocalN8n, packPackage } = require('../../lib/localN8n');
const { N8nInstance } = require('../../lib/n8nInstance');
const { findFreePortPair } = require('../../lib/ports');
const { CURRENT_N8N, provisionN8n } = require('../../lib/runtime');
const { ensureDebianPackages, startNginx, startPostgres, startRedis } = require('../../lib/services');

/**
 * @typedef {object} QueueModeOptions
 * @property {string} folder emptied first; holds the databases' logs and n8n's user folder
 * @property {NodeJS.ProcessEnv} [env] n8n settings for every process, on top of queue mode's
 * @property {Array<{ id: string }>} workflows published beside the demo workflows
 * @property {Array<{ id: string }>} [drafts] imported unpublished, to be run when asked (a Manual Trigger's)
 * @property {number} [workers] how many `n8n worker` processes (default 2)
 * @property {number} [webhooks] how many `n8n webhook` processors (default 1); more than one are
 *   put behind nginx, which then receives every callback
 * @property {(postgres: Awaited<ReturnType<typeof startPostgres>>) => { credentials: object[] }} [beforeN8n]
 *   prepares PostgreSQL for the workflows (a database of their own, say) and returns the
 *   credentials they need
 * @property {(line: string) => void} log
 */

/** @param {QueueModeOptions} options */
async function launchQueueMode(options) {
	fs.rmSync(options.folder, { recursive: true, force: true });
	await ensureDebianPackages(options.log);
	/** @type {Array<{ stop: () => Promise<void> }>} started so far, stopped in reverse order */
	const started = [];
	const stop = async () => {
		/** @type {unknown[]} */
		const problems = [];
		for (const part of started.splice(0).reverse()) {
			// Every part gets its stop, even when one before it failed: nothing is left running.
			await part.stop().catch((/** @type {unknown} */ error) => problems.push(error));
		}
		if (problems.length > 0) throw problems[0];
	};
	try {
		const redis = await startRedis(path.join(options.folder, 'redis'), await findFreePortPair());
		started.push(redis);
		const postgres = await startPostgres(path.join(options.folder, 'postgres'), await findFreePortPair());
		started.push(postgres);
		options.log(`Redis on 127.0.0.1:${redis.port}, PostgreSQL on 127.0.0.1:${postgres.port}`);
		const prepared = options.beforeN8n?.(postgres) ?? { credentials: [] };

		/** @type {NodeJS.ProcessEnv} */
		const env = {
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
			// Find a dead worker's executions in seconds rather than minutes, so the scale run stays short.
			QUEUE_WORKER_LOCK_DURATION: '10000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
			N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '10',
			...options.env,
		};
		const userFolder = path.join(options.folder, 'n8n');
		const runtime = await provisionN8n(CURRENT_N8N, { log: options.log });
		const main = await launchLocalN8n({
			version: CURRENT_N8N,
			userFolder,
			port: await findFreePortPair(),
			tarball: await packPackage(),
			env,
			extra: { credentials: prepared.credentials, workflows: options.workflows, drafts: options.drafts },
			log: options.log,
		});
		started.push(main.instance);
		/** @param {'webhook' | 'worker'} role @param {string} name */
		const processOf = async (role, name) => {
			const instance = new N8nInstance({ runtime, userFolder, port: await findFreePortPair(), env, role, name });
			started.push(instance);
			return instance;
		};
		const letter = (/** @type {number} */ index) => String.fromCharCode(97 + index);
		const webhookCount = options.webhooks ?? 1;
		const webhooks = [];
		for (let index = 0; index < webhookCount; index++) webhooks.push(await processOf('webhook', webhookCount === 1 ? 'webhook' : `webhook-${letter(index)}`));
		const workers = [];
		for (let index = 0; index < (options.workers ?? 2); index++) workers.push(await processOf('worker', `worker-${letter(index)}`));
		options.log(`Starting ${webhooks.length} webhook processor(s) and ${workers.length} workers…`);
		await Promise.all([...webhooks, ...workers].map((instance) => instance.start()));
		const loadBalancer =
			webhooks.length > 1
				? await startNginx(path.join(options.folder, 'nginx'), await findFreePortPair(), webhooks.map(({ port }) => port))
				: undefined;
		if (loadBalancer) {
			started.push(loadBalancer);
			options.log(`nginx on 127.0.0.1:${loadBalancer.port} in front of the webhook processors`);
		}
		const callbackBase = loadBalancer ? `http://127.0.0.1:${loadBalancer.port}` : webhooks[0].baseUrl;
		return {
			main: main.instance,
			webhook: webhooks[0],
			webhooks,
			workers,
			postgres,
			loadBalancer,
			/** @param {string} webhookPath */
			urlOf: (webhookPath) => `${callbackBase}/webhook/${webhookPath}`,
			stop,
		};
	} catch (error) {
		await stop().catch(() => undefined);
		throw error;
	}
}

module.exports = { launchQueueMode };
