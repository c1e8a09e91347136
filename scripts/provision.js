#!/usr/bin/env node
// @ts-check
/**
 * node scripts/provision.js [version…]: installs the pinned n8n runtimes (those every end-to-end
 * run covers by default, or those named in AIRUDDER_E2E_N8N) and the local npm registry of the install tests before the
 * end-to-end tests, with progress on the terminal.
 */
const { stopTrackedOnSignals } = require('./lib/processes');
const { provisionN8n } = require('./lib/runtime');
const { e2eVersions } = require('./lib/e2eVersions');
const { provisionVerdaccio, VERDACCIO } = require('./lib/localNpmRegistry');

async function main() {
	// CI stops a background install with SIGTERM once it is no longer needed: stop npm, then exit,
	// which frees the install lock.
	stopTrackedOnSignals({ graceMs: 5_000 });
	const versions = process.argv.length > 2 ? process.argv.slice(2) : e2eVersions();
	for (const version of versions) await provisionN8n(version);
	await provisionVerdaccio();
	console.log(`n8n ready: ${versions.join(', ')}; Verdaccio ${VERDACCIO} ready`);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
