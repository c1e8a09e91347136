#!/usr/bin/env node
// @ts-check
/**
 * npm run profile [-- --target ours_plain --requests 300 --concurrency 10 --engine vm]: n8n 2.41.1
 * under node's CPU profiler while one bench target (see lib/benchN8n.js) takes a bounded
 * load, then where the requests' CPU time went. The summary is printed as JSON and saved beside
 * the raw profile in ~/.cache/n8n-nodes-airudder/reports/.
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { drive } = require('../lib/load/sender');
const { stopTrackedOnExitOrSignal } = require('../lib/processes');
const { cacheRoot } = require('../lib/runtime');
const { benchTargets, launchBenchN8n } = require('./lib/benchN8n');
const { summarizeWebhookProfile } = require('./lib/cpuProfile');

const WARM_UP_REQUESTS = 20;

async function main() {
	stopTrackedOnExitOrSignal();
	const { values } = parseArgs({
		options: {
			target: { type: 'string', default: 'ours_plain' },
			requests: { type: 'string', default: '300' },
			concurrency: { type: 'string', default: '10' },
			engine: { type: 'string', default: 'vm' },
		},
	});
	const requests = Number(values.requests);
	const concurrency = Number(values.concurrency);
	const log = (/** @type {string} */ line) => console.error(line);
	const known = Object.keys(benchTargets('http://127.0.0.1'));
	if (!known.includes(String(values.target))) throw new Error(`There is no bench target "${values.target}"; pass --target with one of ${known.join(', ')}.`);
	const profileDir = path.join(cacheRoot(), 'profile', `${values.target}-${values.engine}`);
	fs.rmSync(profileDir, { recursive: true, force: true });
	fs.mkdirSync(profileDir, { recursive: true });

	const { instance, targets } = await launchBenchN8n({
		folder: 'profile-n8n',
		env: { N8N_EXPRESSION_ENGINE: String(values.engine), NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` },
		log,
	});
	const target = targets[/** @type {keyof typeof targets} */ (values.target)];
	const pid = instance.child?.pid;
	let run;
	try {
		await drive(() => target, WARM_UP_REQUESTS, 2);
		log(`Profiling ${requests} requests to ${values.target} at concurrency ${concurrency}, engine ${values.engine}…`);
		run = await drive(() => target, requests, concurrency);
	} finally {
		// node writes the profile when n8n exits, so n8n must get its graceful stop.
		await instance.stop();
	}
	const file = fs.readdirSync(profileDir).find((name) => name.includes(`.${pid}.`) && name.endsWith('.cpuprofile'));
	if (!file) throw new Error(`n8n (PID ${pid}) wrote no CPU profile into ${profileDir}`);
	const profile = JSON.parse(fs.readFileSync(path.join(profileDir, file), 'utf8'));
	const summary = {
		target: values.target,
		expression_engine: values.engine,
		concurrency,
		requests_per_s: Number((requests / run.seconds).toFixed(1)),
		failures: run.failures,
		profile: path.join(profileDir, file),
		...summarizeWebhookProfile(profile, { requests: WARM_UP_REQUESTS + requests }),
	};
	fs.writeFileSync(path.join(profileDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
	console.log(JSON.stringify(summary, null, 2));
}

main().catch((error) => {
	console.error(error instanceof Error ? error.stack : error);
	process.exit(1);
});
