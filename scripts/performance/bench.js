#!/usr/bin/env node
// @ts-check
/**
 * npm run bench [-- --quick]: the callback core in this process, then inside n8n 2.41.1 our
 * trigger against a minimal community trigger built like it (the ceiling, the headline's
 * denominator) and the same emitting our items (what n8n charges for them), n8n's Webhook node,
 * a hand-built Webhook + Code node pipeline and the Webhook node → AIRudder Decode fast path: on n8n's defaults (the headline), on the recommended lazy acquire
 * and on the legacy engine, each its own n8n. Prints a report, and as its last line one JSON object.
 */
const { parseArgs } = require('node:util');

const { stopTrackedOnExitOrSignal } = require('../lib/processes');
const { benchCore } = require('./lib/benchCore');
const { benchN8n } = require('./lib/benchN8n');
const { N8N_SETTINGS } = require('./lib/n8nSettings');

/** The headline's setting first. */
const BENCH_SETTINGS = ['default', 'lazy-acquire', 'legacy'];

/**
 * Our trigger against each other target of one n8n run, at concurrency 10.
 * @param {Record<string, any>} c10
 */
function comparisonsAtConcurrency10(c10) {
	const ratio = (/** @type {number} */ ours, /** @type {number} */ theirs) => Number((ours / theirs).toFixed(3));
	const paired = c10.paired_ratios;
	return {
		// Ours against the least any trigger built like ours costs n8n: the headline, the median of
		// the ratios taken round by round, with their range.
		n8n_ratio_vs_ceiling: paired.ours_plain_vs_ceiling.median,
		n8n_ratio_vs_ceiling_range: [paired.ours_plain_vs_ceiling.min, paired.ours_plain_vs_ceiling.max],
		n8n_ratio_aes_signed_vs_ceiling: paired.ours_aes_signed_vs_ceiling.median,
		n8n_ratio_aes_signed_vs_ceiling_range: [paired.ours_aes_signed_vs_ceiling.min, paired.ours_aes_signed_vs_ceiling.max],
		// The price of one item per call with every column, paid by n8n, and of our checks apart from it.
		n8n_ratio_ceiling_our_items_vs_ceiling: paired.ceiling_our_items_vs_ceiling.median,
		n8n_ratio_vs_ceiling_our_items: paired.ours_plain_vs_ceiling_our_items.median,
		n8n_ratio_ceiling_vs_webhook_node_header_auth: ratio(c10.ceiling.rps, c10.webhook_node_header_auth.rps),
		n8n_ratio_ceiling_vs_webhook_node: ratio(c10.ceiling.rps, c10.webhook_node.rps),
		n8n_ratio_webhook_decode_vs_ours: ratio(c10.webhook_decode.rps, c10.ours_plain.rps),
		n8n_ratio_vs_webhook_node: ratio(c10.ours_plain.rps, c10.webhook_node.rps),
		n8n_ratio_aes_signed_vs_webhook_node: ratio(c10.ours_aes_signed.rps, c10.webhook_node.rps),
		n8n_ratio_vs_webhook_node_header_auth: ratio(c10.ours_plain.rps, c10.webhook_node_header_auth.rps),
		n8n_ratio_webhook_node_header_auth_vs_webhook_node: ratio(c10.webhook_node_header_auth.rps, c10.webhook_node.rps),
		// Both take the same AES-encrypted, signed callback.
		n8n_ratio_vs_diy_code_node: ratio(c10.ours_aes_signed.rps, c10.diy_code_node.rps),
		n8n_p99_ack_ms_c10: Number(c10.ours_plain.p99.toFixed(1)),
		n8n_p99_ack_ms_c10_aes_signed: Number(c10.ours_aes_signed.p99.toFixed(1)),
		n8n_p99_ack_ms_c10_webhook_node: Number(c10.webhook_node.p99.toFixed(1)),
		n8n_p99_ack_ms_c10_diy_code_node: Number(c10.diy_code_node.p99.toFixed(1)),
		n8n_p99_ack_ms_c10_ceiling: Number(c10.ceiling.p99.toFixed(1)),
		n8n_p99_ack_ms_c10_webhook_decode: Number(c10.webhook_decode.p99.toFixed(1)),
	};
}

async function main() {
	stopTrackedOnExitOrSignal();
	const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
	const quick = Boolean(values.quick);
	const log = (/** @type {string} */ line) => console.error(line);

	log(`Core benchmark (${quick ? 'quick' : 'full'}), Node ${process.version}…`);
	const core = await benchCore({ quick });
	log(`  5 KB callback: plain ${core.plain_callbacks_per_s.toFixed(0)}/s, AES + signed ${core.encrypted_signed_callbacks_per_s.toFixed(0)}/s; floor (AES + JSON.parse) ${core.floor_decrypt_and_parse_per_s.toFixed(0)}/s`);
	log(`  everything but the mapping (signature, AES, Signed hash, JSON.parse, zod): ${core.required_steps_per_s.toFixed(0)}/s`);
	log(`  share of time: ${Object.entries(core.stage_share).map(([stage, share]) => `${stage} ${(share * 100).toFixed(0)}%`).join(', ')}`);
	for (const batch of core.batches) {
		log(`  ${String(batch.calls).padStart(4)} calls: ${batch.callbacks_per_s.toFixed(1)} callbacks/s, ${batch.items_per_s.toFixed(0)} items/s, ${batch.micros_per_item.toFixed(1)} µs per call`);
	}

	const runs = [];
	for (const name of BENCH_SETTINGS) {
		const setting = /** @type {import('./lib/n8nSettings').N8nSetting} */ (N8N_SETTINGS.find((candidate) => candidate.name === name));
		log(`n8n benchmark, setting ${setting.name} of n8nSettings.js…`);
		runs.push(await benchN8n({ quick, setting, log }));
	}
	const [n8n, ...others] = runs;
	const diy = n8n.diy_code_node_answers;
	log(`  the hand-built Webhook + Code node pipeline answers ${diy.encrypted_body_as_application_json} to the encrypted body sent as application/json, ${diy.forged_signature} to a forged signature`);
	const summary = {
		core_callbacks_per_s: Math.round(core.encrypted_signed_callbacks_per_s),
		core_plain_callbacks_per_s: Math.round(core.plain_callbacks_per_s),
		core_floor_per_s: Math.round(core.floor_decrypt_and_parse_per_s),
		core_required_steps_per_s: Math.round(core.required_steps_per_s),
		core_items_per_s_batch1000: Math.round(core.batches[core.batches.length - 1].items_per_s),
		core_stage_share: Object.fromEntries(Object.entries(core.stage_share).map(([stage, share]) => [stage, Number(share.toFixed(3))])),
		...comparisonsAtConcurrency10(n8n.results.c10),
		n8n_idle_rss_mb: n8n.idle_rss_mb,
		n8n_peak_rss_mb: n8n.peak_rss_mb,
		n8n_setting: n8n.setting,
		load_average: { before: n8n.load_average_before, after: n8n.load_average_after },
		n8n_plan: n8n.plan,
		n8n_diy_code_node_answers: n8n.diy_code_node_answers,
		...Object.fromEntries(
			others.map((run) => [
				`n8n_${run.setting.replace('-', '_')}`,
				{
					...comparisonsAtConcurrency10(run.results.c10),
					n8n_idle_rss_mb: run.idle_rss_mb,
					n8n_peak_rss_mb: run.peak_rss_mb,
					load_average: { before: run.load_average_before, after: run.load_average_after },
				},
			]),
		),
		n8n_results: Object.fromEntries(runs.map((run) => [run.setting, run.results])),
		n8n_version: n8n.n8n_version,
		node_version: process.version,
		quick,
	};
	console.log(JSON.stringify(summary));
}

main().catch((error) => {
	console.error(error instanceof Error ? error.stack : error);
	process.exit(1);
});
