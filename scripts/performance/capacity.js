#!/usr/bin/env node
// @ts-check
/**
 * npm run capacity [-- --seconds 20 --only default,legacy]: for each n8n setting of
 * lib/n8nSettings.js, n8n 2.41.1 with our Workflow Call Completed trigger (the 5 KB
 * callback, AES-encrypted, HMAC-signed, URL token) in front of one Set node, sent callbacks at
 * rising fixed rates. Prints, per setting, the highest rate with p99 acknowledgement under 2 s
 * and the rate where p99 passes 10 s, then one JSON line; the report is also saved in
 * ~/.cache/n8n-nodes-airudder/reports/capacity.json (capacity-<names>.json with --only).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { buildCallbackRequest, DEMO_SECRETS, withToken } = require('../lib/callbackRequest');
const { minimalTriggerWorkflow } = require('../lib/demo');
const { saveReport } = require('../lib/load/report');
const { drive } = require('../lib/load/sender');
const { launchLocalN8n, packPackage } = require('../lib/localN8n');
const { findFreePortPair } = require('../lib/ports');
const { stopTrackedOnExit } = require('../lib/processes');
const { cacheRoot, CURRENT_N8N } = require('../lib/runtime');
const { payloadWith, CALLS_IN_5KB } = require('./lib/benchCore');
const { measureCapacity } = require('./lib/capacity');
const { N8N_SETTINGS } = require('./lib/n8nSettings');
const { launchQueueMode } = require('./lib/queueMode');

const log = (/** @type {string} */ line) => console.error(line);

/**
 * One n8n of the given setting with the measured workflow published, and the PIDs doing its work.
 * @param {import('./lib/n8nSettings').N8nSetting} setting
 * @param {ReturnType<typeof minimalTriggerWorkflow>} measured
 */
async function launchSetting(setting, measured) {
	const folder = path.join(cacheRoot(), 'capacity', setting.name);
	if (setting.mode === 'queue') {
		const queue = await launchQueueMode({ folder, env: setting.env, workflows: [measured.workflow], log });
		return {
			url: queue.urlOf(measured.path),
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
		extra: { credentials: [], workflows: [measured.workflow] },
		log,
	});
	return {
		url: `${local.instance.baseUrl}/webhook/${measured.path}`,
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
 * @param {import('../lib/load/sender').LoadRequest} request
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

async function main() {
	stopTrackedOnExit();
	const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, only: { type: 'string' } } });
	const seconds = Number(values.seconds);
	if (!(seconds >= 1 && seconds <= 120)) throw new Error(`--seconds takes how long each rate is sent, from 1 to 120 (seconds); "${values.seconds}" is not.`);
	const wanted = values.only?.split(',');
	const unknown = wanted?.filter((name) => !N8N_SETTINGS.some((setting) => setting.name === name)) ?? [];
	if (unknown.length > 0) throw new Error(`Unknown setting ${unknown.join(', ')}; one of ${N8N_SETTINGS.map(({ name }) => name).join(', ')}`);
	const settings = N8N_SETTINGS.filter((setting) => !wanted || wanted.includes(setting.name));

	const measured = minimalTriggerWorkflow('AirudderCapacity', 'workflow-call-completed');
	const sealed = buildCallbackRequest(payloadWith(CALLS_IN_5KB), {
		encrypt: true,
		scheme: DEMO_SECRETS.signatureScheme,
		signingKey: DEMO_SECRETS.signingSecret,
	});
	const report = {
		n8n_version: CURRENT_N8N,
		n8n_node_version: '',
		sender_node_version: process.version,
		seconds_per_step: seconds,
		callback: 'Workflow Call Completed, 4 calls, 5 KB, AES + HMAC + URL token',
		/** @type {object[]} */
		results: [],
	};
	for (const setting of settings) {
		log(`${setting.name}: ${setting.summary}`);
		const n8n = await launchSetting(setting, measured);
		try {
			const request = { url: new URL(withToken(n8n.url, DEMO_SECRETS.urlToken)), body: Buffer.from(sealed.body), headers: sealed.headers };
			await waitForWebhook(request, n8n.logFile);
			const warmUp = await drive(() => request, 20, 2);
			if (warmUp.failures > 0) {
				throw new Error(`${setting.name}: the warm-up callbacks were answered ${[...new Set(warmUp.statuses)].join(', ')}, not 200; n8n's log says why: ${n8n.logFile}`);
			}
			const capacity = await measureCapacity({ requestAt: () => request, pids: n8n.pids, seconds, log });
			report.n8n_node_version = n8n.nodeVersion;
			report.results.push({ setting: setting.name, mode: setting.mode, summary: setting.summary, env: setting.env, ...capacity });
			// Saved after every setting, so a failure later in a long run keeps what was measured.
			saveReport(wanted ? `capacity-${wanted.join('-')}` : 'capacity', report);
			const reached = (/** @type {number | null} */ value) => (value === null ? `none up to ${capacity.highest_rate_tried}/s` : `${value}/s`);
			log(
				`  → p99 under 2 s up to ${capacity.sustained_per_s_p99_under_2s === null ? 'no rate tried (not even 2/s)' : `${capacity.sustained_per_s_p99_under_2s}/s`}; ` +
					`p99 past 10 s at ${reached(capacity.p99_past_10s_at_per_s)}; first unacknowledged callback at ${reached(capacity.first_unacknowledged_at_per_s)}`,
			);
		} finally {
			await n8n.stop();
		}
	}
	console.log(JSON.stringify(report));
}

main().catch((error) => {
	console.error(error instanceof Error ? error.stack : error);
	process.exit(1);
});
