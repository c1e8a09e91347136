#!/usr/bin/env node
// @ts-check
/**
 * npm start: builds the package, then runs a local n8n on 127.0.0.1 with it installed as a
 * community package, the demo credential and a published demo workflow per trigger.
 *
 * npm runs this file as its only command, so Ctrl-C in the terminal, and SIGINT or SIGTERM sent
 * to the `npm start` process alone (what a process manager does), reach it; it then stops n8n
 * gracefully and leaves nothing running.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { LOCAL_OWNER } = require('./lib/n8nClient');
const { stopTrackedOnExit, stopTrackedOnSignals } = require('./lib/processes');
const { REPO_ROOT } = require('./lib/repoRoot');
const { CURRENT_N8N, cacheRoot, formatDuration } = require('./lib/runtime');

/** n8n finishes running executions and closes its database within this; then it is killed. */
const N8N_SHUTDOWN_GRACE_MS = 30_000;

function build() {
	const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
	if (result.status !== 0) throw new Error('npm run build failed; see above.');
}

/**
 * A sample callback written where the user can find it, and the curl command that sends it
 * the way AIRudder would, with the demo credential's signature and URL token.
 * @param {import('./lib/registeredTriggers').RegisteredTrigger} trigger
 * @param {string} url the trigger's Production URL
 * @param {string} folder
 */
function curlForSample(trigger, url, folder) {
	const { DEMO_SECRETS, buildCallbackRequest, curlCommand, withToken } = require('./lib/callbackRequest');
	const request = buildCallbackRequest(JSON.stringify(trigger.definition.sample, null, 2), {
		scheme: DEMO_SECRETS.signatureScheme,
		signingKey: DEMO_SECRETS.signingSecret,
		signatureHeader: DEMO_SECRETS.signatureHeader,
	});
	fs.mkdirSync(folder, { recursive: true });
	const bodyFile = path.join(folder, `${trigger.definition.webhookPath}.json`);
	fs.writeFileSync(bodyFile, request.body);
	return curlCommand(withToken(url, DEMO_SECRETS.urlToken), request, bodyFile);
}

async function main() {
	const started = Date.now();
	const port = Number(process.env.PORT || 5678);
	if (!Number.isInteger(port) || port < 1 || port > 65534) throw new Error(`PORT must be a port number, not "${process.env.PORT}"`);
	const version = process.env.AIRUDDER_N8N_VERSION || CURRENT_N8N;
	stopTrackedOnExit();
	let stopping = false;
	stopTrackedOnSignals({
		graceMs: N8N_SHUTDOWN_GRACE_MS,
		onStopping: () => {
			stopping = true;
			console.log('\nStopping n8n…');
		},
		onStopped: () => console.log('n8n stopped.'),
	});

	build();
	const { DEMO_SECRETS } = require('./lib/callbackRequest');
	const { launchLocalN8n, packPackage } = require('./lib/localN8n');
	const tarball = await packPackage();
	const userFolder = path.join(cacheRoot(), 'local-n8n');
	const { instance, workflows, examples } = await launchLocalN8n({ version, userFolder, port, tarball });

	const first = workflows[0];
	const lines = [
		'',
		`n8n ${version} is running with n8n-nodes-airudder (ready in ${formatDuration(Date.now() - started)}).`,
		'',
		`Editor:   ${instance.baseUrl}`,
		`Sign in:  ${LOCAL_OWNER.email} / ${LOCAL_OWNER.password}`,
		`Rows:     ${instance.baseUrl}/home/datatables  (Overview → Data tables: one table per trigger, one row per call; a resent call updates its row)`,
		`Files:    ${instance.filesFolder}  (each Invalid callback as a JSON file)`,
		`Log:      ${instance.logFile}`,
		'',
		`Production URLs (demo credential: URL token "${DEMO_SECRETS.urlToken}", AES key "${DEMO_SECRETS.aesSecretKey}"):`,
		...workflows.map(({ trigger, url }) => `  ${trigger.definition.displayName}\n    ${url}?token=${DEMO_SECRETS.urlToken}`),
		'',
		'Ready-made workflows from examples/ (unpublished; they need your Google, HubSpot or Slack account):',
		...examples.map((example) => `  ${example.name}\n    ${instance.baseUrl}/workflow/${example.id}`),
		'',
		'Send a sample callback, AES-encrypted and signed like AIRudder’s (from this folder, in another terminal):',
		`  npm run send-sample -- ${first.trigger.definition.webhookPath} --url ${first.url} --encrypt`,
		'',
		'Or with curl: the demo credential wants its HMAC signature and URL token, so a plain JSON',
		'post gets 401. This one carries both, over the sample in the file it names:',
		`  ${curlForSample(first.trigger, first.url, path.join(userFolder, 'samples'))}`,
		'',
		'Press Ctrl-C to stop n8n.',
	];
	console.log(lines.join('\n'));

	const child = instance.child;
	await new Promise((resolve) => child?.once('exit', resolve));
	if (stopping) return;
	console.error(`n8n stopped unexpectedly; see ${instance.logFile}`);
	process.exitCode = 1;
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
