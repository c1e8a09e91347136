#!/usr/bin/env node
// @ts-check
/**
 * npm start (which builds first): a local n8n on 127.0.0.1 with this package installed as a
 * community package, the demo credential and a published demo workflow per trigger. Ctrl-C stops
 * everything.
 */
const path = require('node:path');

const { DEMO_SECRETS } = require('./lib/callbackRequest');
const { LOCAL_OWNER } = require('./lib/instance');
const { launchLocalN8n, packPackage } = require('./lib/localN8n');
const { CURRENT_N8N, cacheRoot, formatDuration } = require('./lib/runtime');

async function main() {
	const started = Date.now();
	const port = Number(process.env.PORT || 5678);
	if (!Number.isInteger(port) || port < 1 || port > 65534) throw new Error(`PORT must be a port number, not "${process.env.PORT}"`);
	const version = process.env.AIRUDDER_N8N_VERSION || CURRENT_N8N;

	const tarball = await packPackage();
	const { instance, workflows, examples } = await launchLocalN8n({
		version,
		userFolder: path.join(cacheRoot(), 'local-n8n'),
		port,
		tarball,
	});

	const first = workflows[0];
	const lines = [
		'',
		`n8n ${version} is running with n8n-nodes-airudder (ready in ${formatDuration(Date.now() - started)}).`,
		'',
		`Editor:   ${instance.baseUrl}`,
		`Sign in:  ${LOCAL_OWNER.email} / ${LOCAL_OWNER.password}`,
		`Files:    ${instance.filesFolder}  (one CSV per callback, one row per call)`,
		`Log:      ${instance.logFile}`,
		'',
		`Production URLs (demo credential: URL token "${DEMO_SECRETS.urlToken}", AES key "${DEMO_SECRETS.aesSecretKey}"):`,
		...workflows.map(({ trigger, url }) => `  ${trigger.definition.displayName}\n    ${url}?token=${DEMO_SECRETS.urlToken}`),
		'',
		'Ready-made workflows from examples/ (unpublished; they need your Google, HubSpot or Slack account):',
		...examples.map((example) => `  ${example.name}\n    ${instance.baseUrl}/workflow/${example.id}`),
		'',
		'Send a sample callback (from this folder, in another terminal):',
		`  npm run send-sample -- ${first.trigger.definition.webhookPath} --url ${first.url} --encrypt`,
		'',
		'Press Ctrl-C to stop n8n.',
	];
	console.log(lines.join('\n'));

	const child = instance.child;
	await new Promise((resolve) => child?.once('exit', resolve));
	console.error(`n8n stopped unexpectedly; see ${instance.logFile}`);
	process.exitCode = 1;
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
