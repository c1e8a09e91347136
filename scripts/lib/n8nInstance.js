// @ts-check
/**
 * One local n8n process: its own user folder, ports and SQLite database, headless and offline,
 * started as a tracked process (processes.js). It extends the REST client of the n8n it runs.
 */
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const { N8nClient } = require('./n8nClient');
const { killGroup, runQuiet, runTracked, spawnTracked, stopTracked } = require('./processes');
const { compareVersions } = require('./runtime');

/** Fixed so that credentials imported by the CLI can be read by the server, across runs. */
const LOCAL_ENCRYPTION_KEY = 'airudder-local-n8n-not-for-production';

/** What `n8n start` logs when it has finished starting. */
const READY_LINE = 'Editor is now accessible via';

/**
 * The processes of n8n's queue mode, each with the line it logs once it is ready. A plain
 * `n8n start` (without EXECUTIONS_MODE=queue) is the whole of n8n in one process.
 */
const ROLES = {
	main: { args: ['start'], ready: READY_LINE },
	webhook: { args: ['webhook'], ready: 'Webhook listener waiting for requests.' },
	worker: { args: ['worker', '--concurrency=5'], ready: 'n8n worker is now ready' },
};

/**
 * @typedef {object} InstanceOptions
 * @property {import('./runtime').Runtime} runtime
 * @property {string} userFolder created if missing
 * @property {number} port editor and webhook port; port + 1 is the task-runner broker
 * @property {NodeJS.ProcessEnv} [env] extra settings
 * @property {keyof typeof ROLES} [role] which n8n process (default: main)
 * @property {string} [name] names its log and PID files, for several processes on one user folder
 */

class N8nInstance extends N8nClient {
	/** @param {InstanceOptions} options */
	constructor(options) {
		super(`http://127.0.0.1:${options.port}`, options.runtime.dir);
		this.runtime = options.runtime;
		this.userFolder = path.resolve(options.userFolder);
		this.port = options.port;
		this.extraEnv = options.env ?? {};
		this.role = options.role ?? 'main';
		this.logFile = path.join(this.userFolder, `${options.name ?? 'n8n'}.log`);
		this.pidFile = path.join(this.userFolder, `${options.name ?? 'n8n'}.pid`);
		/** @type {import('node:child_process').ChildProcess | undefined} */
		this.child = undefined;
		fs.mkdirSync(this.userFolder, { recursive: true });
	}

	/** Folder that the Read/Write Files node may use; n8n 2.x blocks every other path. */
	get filesFolder() {
		return path.join(this.userFolder, 'files');
	}

	/** @returns {NodeJS.ProcessEnv} */
	env() {
		const atLeast2x41 = compareVersions(this.runtime.version, '2.41.0') >= 0;
		// A test runner's NODE_ENV=test makes n8n exit silently; n8n must run as a user runs it.
		const { NODE_ENV, JEST_WORKER_ID, ...inherited } = this.runtime.env;
		return {
			...inherited,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: LOCAL_ENCRYPTION_KEY,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(this.port + 1),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			// 2.41 warns that its default will turn false, which would refuse packages like ours.
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_RESTRICT_FILE_ACCESS_TO: this.filesFolder,
			// Start-up is detected from n8n's own "ready" log line, which needs the info level.
			N8N_LOG_LEVEL: 'info',
			DB_TYPE: 'sqlite',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			GENERIC_TIMEZONE: 'UTC',
			// 2.41 otherwise fetches an MCP server registry at startup; older versions reject the name.
			...(atLeast2x41 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
			...this.extraEnv,
		};
	}

	/**
	 * Runs one n8n CLI command (each one boots n8n: 3–5 s): while the server is stopped, or beside
	 * it with `env` moving what the server holds (its task broker's port).
	 * @param {string[]} args
	 * @param {NodeJS.ProcessEnv} [env]
	 */
	cli(args, env = {}) {
		return runTracked(this.runtime.nodeBin, [this.runtime.n8nBin, ...args], {
			env: { ...this.env(), ...env },
			timeoutMs: 120_000,
			label: `n8n ${args.join(' ')}`,
		});
	}

	/**
	 * Installs a packed tarball the way n8n's community-package installer does, so node types
	 * are `<package name>.<node>`.
	 * @param {string} tarball
	 */
	async installPackage(tarball) {
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		fs.mkdirSync(nodesDir, { recursive: true });
		const manifest = path.join(nodesDir, 'package.json');
		if (!fs.existsSync(manifest)) {
			fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
		}
		await runQuiet(
			'npm',
			['install', path.resolve(tarball), '--omit=peer', '--legacy-peer-deps', '--no-audit', '--no-fund', '--no-package-lock'],
			{ cwd: nodesDir },
		);
	}

	/** Stops an n8n left running by an earlier, killed run on this user folder. */
	stopLeftover() {
		if (!fs.existsSync(this.pidFile)) return;
		const pid = Number(fs.readFileSync(this.pidFile, 'utf8'));
		const commandLine = pid > 0 && fs.existsSync(`/proc/${pid}/cmdline`) ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
		if (commandLine.includes('n8n')) killGroup(pid);
		fs.rmSync(this.pidFile, { force: true });
	}

	/**
	 * Starts this n8n process and resolves once it has finished starting.
	 * @param {{ timeoutMs?: number }} [options]
	 */
	async start(options = {}) {
		this.stopLeftover();
		fs.mkdirSync(this.filesFolder, { recursive: true });
		const { args, ready } = ROLES[this.role];
		const child = spawnTracked(this.runtime.nodeBin, [this.runtime.n8nBin, ...args], { env: this.env(), logFile: this.logFile });
		this.child = child;
		fs.writeFileSync(this.pidFile, String(child.pid));
		child.once('exit', () => fs.rmSync(this.pidFile, { force: true }));

		const deadline = Date.now() + (options.timeoutMs ?? 90_000);
		const readyUrl = `${this.baseUrl}/rest/settings`;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`n8n ${args[0]} exited during start (code ${child.exitCode}); see ${this.logFile}`);
			// The main process answers HTTP before all its routes and webhooks are registered; it
			// logs the ready line once they are.
			const answering =
				this.role !== 'main' ||
				(await fetch(readyUrl)
					.then((response) => ![404, 503].includes(response.status))
					.catch(() => false));
			if (answering && this.log().includes(ready)) return;
			await sleep(250);
		}
		await this.stop();
		throw new Error(`n8n ${args[0]} was not ready within the time limit; see ${this.logFile}`);
	}

	/** SIGKILL, as a crash or an out-of-memory kill would end it: no chance to finish anything. */
	kill() {
		const pid = this.child?.pid;
		this.child = undefined;
		if (pid) killGroup(pid);
	}

	/** SIGTERM to n8n and its task runners; SIGKILL if they are still there after 10 s. */
	async stop() {
		const child = this.child;
		this.child = undefined;
		this.cookie = undefined;
		await stopTracked(child);
		fs.rmSync(this.pidFile, { force: true });
	}

	/** The n8n log so far. */
	log() {
		return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
	}
}

module.exports = { N8nInstance };
