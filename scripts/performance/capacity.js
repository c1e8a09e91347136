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
const { parseArgs } = require('node:util');

const { buildCallbackRequest, DEMO_SECRETS, withToken } = require('../lib/callbackRequest');
const { minimalTriggerWorkflow } = require('../lib/demo');
const { saveReport } = require('../lib/load/report');
const { drive } = require('../lib/load/sender');
const { stopTrackedOnExitOrSignal } = require('../lib/processes');
const { CURRENT_N8N } = require('../lib/runtime');
const { payloadWith, CALLS_IN_5KB } = require('./lib/benchCore');
const { measureCapacity } = require('./lib/capacitySteps');
const { N8N_SETTINGS } = require('./lib/n8nSettings');
const { launchSetting, waitForWebhook } = require('./lib/n8nUnderTest');

const log = (/** @type {string} */ line) => console.error(line);

async function main() {
	stopTrackedOnExitOrSignal();
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
		const n8n = await launchSetting(setting, [measured.workflow], { folder: 'capacity', log });
		try {
			const request = { url: new URL(withToken(n8n.urlOf(measured.path), DEMO_SECRETS.urlToken)), body: Buffer.from(sealed.body), headers: sealed.headers };
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
