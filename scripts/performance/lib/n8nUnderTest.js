// @ts-check
/**
 * One n8n of a measured setting (n8nSettings.js), regular or queue mode, with the measured
 * workflows published and the PIDs doing its work, for `npm run capacity` and the AIRudder
 * emulator's runs.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { drive } = require('../../lib/load/sender');
const { launchLocalN8n, packPackage } = require('../../lib/localN8n');
const { findFreePortPair } = require('../../lib/ports');
const { cacheRoot, CURRENT_N8N } = require('../../lib/runtime');
const { launchQueueMode } = require('./queueMode');

/**
 * @param {import('./n8nSettings').N8nSetting} setting
 * @param {Array<{ id: string }>} workflows
 * @param {{ folder: string, log: (line: string) => void, beforeN8n?: import('./queueMode').QueueModeOptions['beforeN8n'] }} options
 *   `folder` is under the cache's; `beforeN8n` prepares queue mode's PostgreSQL for the workflows
 */
async function launchSetting(setting, workflows, options) {
	const folder = path.join(cacheRoot(), options.folder, setting.name);
	if (setting.mode === 'queue') {
		const queue = await launchQueueMode({ folder, env: setting.env, workflows, log: options.log, beforeN8n: options.beforeN8n });
		return {
			urlOf: queue.urlOf,
			records: queue.main,
			pids: [queue.main, queue.webhook, ...queue.workers].map((instance) => /** @type {number} */ (instance.child?.pid)),
			logFile: queue.webhook.logFile,
			nodeVersion: nodeVersionOf(queue.main.runtime.nodeBin),
			stop: queue.stop,
		};
	}
	// A database left by an earlier run would make a setting that saves executions slower.
	fs.rmSync(folder, { recursive: true, force: true });
	const local = await launchLocalN8n({
		version: CURRENT_N8N,
		userFolder: path.join(folder, 'n8n'),
		port: await findFreePortPair(),
		tarball: await packPackage(),
		env: setting.env,
		extra: { credentials: [], workflows },
		log: options.log,
	});
	return {
		urlOf: (/** @type {string} */ webhookPath) => `${local.instance.baseUrl}/webhook/${webhookPath}`,
		records: local.instance,
		pids: [/** @type {number} */ (local.instance.child?.pid)],
		logFile: local.instance.logFile,
		nodeVersion: nodeVersionOf(local.instance.runtime.nodeBin),
		stop: () => local.instance.stop(),
	};
}

/** @param {string} nodeBin */
const nodeVersionOf = (nodeBin) => execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();

/**
 * n8n registers a published workflow's webhook a moment after answering the publish request, and
 * answers 404 until then.
 * @param {import('../../lib/load/sender').LoadRequest} request
 * @param {string} logFile
 */
async function waitForWebhook(request, logFile) {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		const { statuses } = await drive(() => request, 1, 1);
		if (statuses[0] !== 404) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n did not register ${request.url.pathname} within a minute; its log says why: ${logFile}`);
}

module.exports = { launchSetting, waitForWebhook };
