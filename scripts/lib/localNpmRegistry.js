// @ts-check
/**
 * A local npm registry for the install tests: Verdaccio, pinned by the committed recipe
 * `runtime/verdaccio-<version>/` and installed into the cache like the n8n runtimes. It listens on
 * 127.0.0.1 only, has no uplinks (it serves what the test publishes and nothing else), keeps its
 * storage in a new temporary folder, runs as a tracked process and is stopped by PID.
 *
 * n8n's community-package installer always runs `npm … --registry=<the public npm registry>`:
 * N8N_COMMUNITY_PACKAGES_REGISTRY accepts another address only with an enterprise licence. So
 * `npmRedirect` writes an `npm` for the n8n process's PATH that points npm at this registry
 * instead, records every call, and runs the real npm.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { findFreePortPair } = require('./ports');
const { runQuiet, spawnTracked, stopTracked } = require('./processes');
const { RECIPES_DIR, cacheRoot, provisionRecipe } = require('./runtime');

const VERDACCIO = '6.8.0';
/** Publishes the test's packages; exists only in the registry's temporary folder. */
const PUBLISHER = { name: 'airudder-tests', password: 'airudder-local-registry-1' };

/**
 * Installs the pinned Verdaccio into the cache unless it is already there (about 40 s, 60 MB).
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<string>} the path of Verdaccio's executable script
 */
async function provisionVerdaccio(options = {}) {
	const dir = path.join(cacheRoot(), `verdaccio-${VERDACCIO}`);
	await provisionRecipe({
		recipeDir: path.join(RECIPES_DIR, `verdaccio-${VERDACCIO}`),
		dir,
		label: `Verdaccio ${VERDACCIO}`,
		notice: 'the local npm registry of the install tests; first run only: under a minute and 60 MB',
		log: options.log ?? ((line) => console.log(line)),
	});
	return path.join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
}

/**
 * @typedef {object} LocalRegistry
 * @property {string} url ends with a slash
 * @property {string} logFile Verdaccio's log, which lists every request it answered
 * @property {(tarball: string) => Promise<void>} publish publishes a packed tarball as the test's user
 * @property {() => Promise<void>} stop stops Verdaccio and deletes its storage
 */

/**
 * Starts Verdaccio on a free port of 127.0.0.1 with a user allowed to publish.
 * @param {{ logFolder: string, log?: (line: string) => void }} options
 * @returns {Promise<LocalRegistry>}
 */
async function startLocalRegistry(options) {
	const verdaccio = await provisionVerdaccio({ log: options.log });
	fs.mkdirSync(options.logFolder, { recursive: true });
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'airudder-registry-'));
	const configFile = path.join(folder, 'config.yaml');
	fs.writeFileSync(
		configFile,
		[
			`storage: ${JSON.stringify(path.join(folder, 'storage'))}`,
			'auth:',
			'  htpasswd:',
			`    file: ${JSON.stringify(path.join(folder, 'htpasswd'))}`,
			'    max_users: 1',
			// No uplinks: a package the test did not publish is a 404, never a download.
			'uplinks: {}',
			'packages:',
			"  '**':",
			'    access: $all',
			'    publish: $authenticated',
			'web:',
			'  enable: false',
			'middlewares:',
			'  audit:',
			'    enabled: false',
			'log: { type: stdout, format: pretty, level: http }',
			'',
		].join('\n'),
	);
	const port = await findFreePortPair();
	const url = `http://127.0.0.1:${port}/`;
	const logFile = path.join(options.logFolder, 'verdaccio.log');
	const child = spawnTracked(process.execPath, [verdaccio, '--config', configFile, '--listen', `127.0.0.1:${port}`], { logFile, cwd: folder });
	const stop = async () => {
		await stopTracked(child);
		fs.rmSync(folder, { recursive: true, force: true });
	};
	try {
		await waitForPing(url, child, logFile);
		const response = await fetch(`${url}-/user/org.couchdb.user:${PUBLISHER.name}`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: PUBLISHER.name, password: PUBLISHER.password }),
			signal: AbortSignal.timeout(10_000),
		});
		const { token } = /** @type {{ token?: string }} */ (await response.json());
		if (!response.ok || !token) throw new Error(`Verdaccio refused to create the publishing user: ${response.status}`);
		// The publisher's own npm configuration, never the user's ~/.npmrc.
		const userconfig = path.join(folder, '.npmrc');
		fs.writeFileSync(userconfig, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`, { mode: 0o600 });
		return {
			url,
			logFile,
			publish: async (tarball) => {
				await runQuiet('npm', ['publish', path.resolve(tarball), `--registry=${url}`, `--userconfig=${userconfig}`, '--ignore-scripts', '--provenance=false'], {
					cwd: folder,
				});
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * @param {string} url
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} logFile
 */
async function waitForPing(url, child, logFile) {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`Verdaccio exited during start; see ${logFile}`);
		const ready = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(2_000) })
			.then((response) => response.ok)
			.catch(() => false);
		if (ready) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`Verdaccio was not ready within a minute; see ${logFile}`);
}

/**
 * Writes `<folder>/npm`, for the front of the n8n process's PATH: it drops every `--registry=`
 * argument, sets npm's registry to `registryUrl` for all commands (also `npm outdated`, which n8n
 * runs without one), gives npm a cache of its own in `<folder>/cache` (so every download really
 * comes from the registry, and the user's cache never holds test packages), appends its
 * arguments to `<folder>/npm-calls.log`, and runs the npm found on `searchPath`.
 * @param {string} folder
 * @param {string} registryUrl
 * @param {string} searchPath the PATH n8n would otherwise use
 * @returns {{ binDir: string, callsLog: string }}
 */
function npmRedirect(folder, registryUrl, searchPath) {
	const realNpm = searchPath
		.split(path.delimiter)
		.map((dir) => path.join(dir, 'npm'))
		.find((candidate) => fs.existsSync(candidate));
	if (!realNpm) throw new Error('npm is not on the PATH that n8n runs with');
	fs.mkdirSync(folder, { recursive: true });
	const callsLog = path.join(folder, 'npm-calls.log');
	fs.writeFileSync(callsLog, '');
	/** @param {string} value */
	const quote = (value) => `'${value.replaceAll("'", `'\\''`)}'`;
	fs.writeFileSync(
		path.join(folder, 'npm'),
		[
			'#!/bin/sh',
			'# Written by the install tests: n8n runs this instead of npm. The public npm registry it',
			'# names is replaced by the local test registry; everything else reaches npm unchanged.',
			`export npm_config_registry=${quote(registryUrl)}`,
			`export npm_config_cache=${quote(path.join(folder, 'cache'))}`,
			`printf '%s\\n' "$*" >> ${quote(callsLog)}`,
			'for arg do',
			'  shift',
			'  case "$arg" in',
			'    --registry=*) ;;',
			'    *) set -- "$@" "$arg" ;;',
			'  esac',
			'done',
			`exec ${quote(realNpm)} "$@"`,
			'',
		].join('\n'),
		{ mode: 0o755 },
	);
	return { binDir: folder, callsLog };
}

module.exports = { VERDACCIO, provisionVerdaccio, startLocalRegistry, npmRedirect };
