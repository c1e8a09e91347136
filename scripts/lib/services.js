// @ts-check
/**
 * Debian packages the tests need, installed if missing: Redis and PostgreSQL for n8n's queue mode,
 * started on 127.0.0.1 with their data in folders of ours, tracked by PID and stopped with us; and
 * Chromium for the browser test.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { runQuiet, spawnTracked, stopTracked } = require('./processes');

const DEBIAN_PACKAGES = ['redis-server', 'postgresql'];
const DATABASE = { name: 'n8n', user: 'n8n' };

/** @param {string} program */
function onPath(program) {
	try {
		execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** The newest installed PostgreSQL's programs (Debian keeps them off PATH). */
function postgresBin() {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
	const found = versions.map((version) => path.join(root, version, 'bin')).find((bin) => fs.existsSync(path.join(bin, 'postgres')));
	return found;
}

/**
 * Installs Debian packages that are missing, as root; otherwise says what to install.
 * @param {string[]} packages
 * @param {string} purpose
 * @param {(line: string) => void} log
 */
async function installDebianPackages(packages, purpose, log) {
	if (process.getuid?.() !== 0) {
		throw new Error(`${purpose} needs Debian's ${packages.join(' and ')}: run \`sudo apt-get install -y ${packages.join(' ')}\` first.`);
	}
	log(`Installing ${packages.join(' and ')} from Debian's packages…`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await runQuiet('apt-get', ['update'], { cwd: '/', env });
	await runQuiet('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { cwd: '/', env });
}

/** @param {(line: string) => void} log */
async function ensureDebianPackages(log) {
	if (onPath('redis-server') && postgresBin()) return;
	await installDebianPackages(DEBIAN_PACKAGES, 'Queue mode', log);
}

const CHROMIUM = '/usr/bin/chromium';
/** AIRudder's callback names are also Chinese; without a CJK font the screenshots show boxes. */
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc';

/**
 * Debian's Chromium, for the browser test: playwright-core drives it, so no browser download.
 * @param {(line: string) => void} log
 * @returns {Promise<string>} its path
 */
async function ensureChromium(log) {
	if (!fs.existsSync(CHROMIUM) || !fs.existsSync(CJK_FONT)) {
		await installDebianPackages(['chromium', 'fonts-wqy-zenhei'], 'The browser test', log);
	}
	return CHROMIUM;
}

/**
 * Resolves once `logFile` contains `line`.
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} logFile
 * @param {string} line
 * @param {string} what
 */
async function waitForLogLine(child, logFile, line, what) {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${what} exited during start; see ${logFile}`);
		if (fs.readFileSync(logFile, 'utf8').includes(line)) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`${what} was not ready within a minute; see ${logFile}`);
}

/**
 * @param {string} folder
 * @param {number} port
 */
async function startRedis(folder, port) {
	fs.mkdirSync(folder, { recursive: true });
	const logFile = path.join(folder, 'redis.log');
	const child = spawnTracked('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', folder], { logFile });
	await waitForLogLine(child, logFile, 'Ready to accept connections', 'Redis');
	return { port, stop: () => stopTracked(child) };
}

/**
 * A fresh PostgreSQL cluster with a database and a password-less user for n8n. As root it runs as
 * Debian's `postgres` user, because PostgreSQL refuses to run as root. Its data therefore lives in
 * a new folder under the system's temporary folder: the `postgres` user cannot enter root's home,
 * where our cache is. Only the log goes to `logFolder`, so it outlives the cluster.
 * @param {string} logFolder
 * @param {number} port
 */
async function startPostgres(logFolder, port) {
	const bin = postgresBin();
	if (!bin) throw new Error('PostgreSQL is not installed');
	fs.mkdirSync(logFolder, { recursive: true });
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'airudder-postgres-'));
	const asRoot = process.getuid?.() === 0;
	const owner = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres'])), gid: Number(execFileSync('id', ['-g', 'postgres'])) } : {};
	if (owner.uid !== undefined) fs.chownSync(folder, owner.uid, /** @type {number} */ (owner.gid));
	/** @param {string} program @param {string[]} args */
	const runAsOwner = (program, args) => {
		try {
			execFileSync(path.join(bin, program), args, { ...owner, cwd: folder, stdio: 'pipe' });
		} catch (error) {
			const { stderr } = /** @type {{ stderr?: Buffer }} */ (error);
			throw new Error(`PostgreSQL's ${program} failed: ${stderr?.toString().trim() || String(error)}`);
		}
	};
	const dataDir = path.join(folder, 'data');
	runAsOwner('initdb', ['-D', dataDir, '-U', DATABASE.user, '--auth=trust', '--no-sync']);
	const logFile = path.join(logFolder, 'postgres.log');
	const child = spawnTracked(
		path.join(bin, 'postgres'),
		['-D', dataDir, '-p', String(port), '-k', folder, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'],
		{ logFile, cwd: folder, ...owner },
	);
	await waitForLogLine(child, logFile, 'database system is ready to accept connections', 'PostgreSQL');
	runAsOwner('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', DATABASE.user, DATABASE.name]);
	return {
		port,
		database: DATABASE,
		stop: async () => {
			await stopTracked(child);
			fs.rmSync(folder, { recursive: true, force: true });
		},
	};
}

module.exports = { ensureChromium, ensureDebianPackages, startPostgres, startRedis };
