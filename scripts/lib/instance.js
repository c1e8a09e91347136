// @ts-check
/**
 * One local n8n: its own user folder, ports and SQLite database, headless and offline. Every
 * process it starts is tracked by PID and stopped on every way out of this Node process.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

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

/** Documented in README.md; only ever used on 127.0.0.1. */
const LOCAL_OWNER = {
	email: 'owner@airudder.local',
	firstName: 'Local',
	lastName: 'Owner',
	password: 'AIRudder-local-1',
};

/** @type {Set<number>} process-group leaders still running */
const runningGroups = new Set();

/** @param {number} pid @param {NodeJS.Signals} signal */
function signalGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

function killAllNow() {
	for (const pid of runningGroups) signalGroup(pid, 'SIGKILL');
	runningGroups.clear();
}

// Whatever else happens, nothing this process started outlives it.
process.once('exit', killAllNow);

/** Exit codes a shell reports for a process ended by these signals. */
const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * Makes Ctrl-C, SIGINT, SIGTERM and SIGHUP stop every tracked process gracefully: SIGTERM to each
 * process group, `graceMs` for its own shutdown (n8n finishes running executions and closes its
 * database), SIGKILL after that, then exit. Entry scripts opt in; a signal that arrives again
 * while stopping (npm forwards the terminal's Ctrl-C that the shell already delivered) changes
 * nothing.
 * @param {{ graceMs?: number, onStopping?: () => void, onStopped?: () => void }} [options]
 */
function stopTrackedOnSignals(options = {}) {
	let stopping = false;
	const stopAll = async (/** @type {keyof typeof SIGNAL_EXIT_CODES} */ signal) => {
		if (stopping) return;
		stopping = true;
		options.onStopping?.();
		await Promise.all([...runningGroups].map((pid) => stopGroup(pid, options.graceMs ?? 30_000)));
		options.onStopped?.();
		process.exit(SIGNAL_EXIT_CODES[signal]);
	};
	for (const signal of /** @type {(keyof typeof SIGNAL_EXIT_CODES)[]} */ (Object.keys(SIGNAL_EXIT_CODES))) {
		process.on(signal, () => void stopAll(signal));
	}
}

/** @param {number} pid */
function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {object} InstanceOptions
 * @property {import('./runtime').Runtime} runtime
 * @property {string} userFolder created if missing
 * @property {number} port editor and webhook port; port + 1 is the task-runner broker
 * @property {NodeJS.ProcessEnv} [env] extra settings
 * @property {keyof typeof ROLES} [role] which n8n process (default: main)
 * @property {string} [name] names its log and PID files, for several processes on one user folder
 */

class N8nInstance {
	/** @param {InstanceOptions} options */
	constructor(options) {
		this.runtime = options.runtime;
		this.userFolder = path.resolve(options.userFolder);
		this.port = options.port;
		this.extraEnv = options.env ?? {};
		this.role = options.role ?? 'main';
		this.baseUrl = `http://127.0.0.1:${this.port}`;
		this.logFile = path.join(this.userFolder, `${options.name ?? 'n8n'}.log`);
		this.pidFile = path.join(this.userFolder, `${options.name ?? 'n8n'}.pid`);
		/** @type {import('node:child_process').ChildProcess | undefined} */
		this.child = undefined;
		/** @type {string | undefined} */
		this.cookie = undefined;
		fs.mkdirSync(this.userFolder, { recursive: true });
	}

	/** Folder that the Read/Write Files node may use; n8n 2.x blocks every other path. */
	get filesFolder() {
		return path.join(this.userFolder, 'files');
	}

	/** @returns {NodeJS.ProcessEnv} */
	env() {
		const atLeast2x41 = Number(this.runtime.version.split('.')[1]) >= 41;
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
			// 2.41 otherwise fetches an MCP server registry at startup; 2.8 rejects the name.
			...(atLeast2x41 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
			...this.extraEnv,
		};
	}

	/**
	 * Runs one n8n CLI command while the server is stopped (each one boots n8n: 3–5 s).
	 * @param {string[]} args
	 */
	cli(args) {
		return new Promise((resolve, reject) => {
			const child = spawn(this.runtime.nodeBin, [this.runtime.n8nBin, ...args], {
				env: this.env(),
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true,
			});
			if (child.pid) runningGroups.add(child.pid);
			let output = '';
			child.stdout.on('data', (chunk) => (output += chunk));
			child.stderr.on('data', (chunk) => (output += chunk));
			const timer = setTimeout(() => child.pid && signalGroup(child.pid, 'SIGKILL'), 120_000);
			child.on('exit', (code) => {
				clearTimeout(timer);
				if (child.pid) runningGroups.delete(child.pid);
				if (code === 0) resolve(output);
				else reject(new Error(`n8n ${args.join(' ')} failed (exit ${code}):\n${output}`));
			});
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
		if (commandLine.includes('n8n')) signalGroup(pid, 'SIGKILL');
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
		if (pid) signalGroup(pid, 'SIGKILL');
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

	/**
	 * Calls n8n's internal REST API as the local owner, creating the owner on first use.
	 * @param {string} method
	 * @param {string} route below /rest
	 * @param {unknown} [body]
	 */
	async rest(method, route, body) {
		if (!this.cookie) await this.signIn();
		const response = await fetch(`${this.baseUrl}/rest${route}`, {
			method,
			headers: { 'content-type': 'application/json', cookie: this.cookie ?? '', 'browser-id': 'airudder-tests' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${route}: ${response.status} ${text.slice(0, 500)}`);
		return text ? JSON.parse(text).data : undefined;
	}

	/**
	 * Id of the workflow's newest recorded execution, or 0.
	 * @param {string} workflowId
	 * @returns {Promise<number>}
	 */
	async latestExecutionId(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const { results } = await this.rest('GET', `/executions?filter=${filter}&limit=1`);
		return results.length > 0 ? Number(results[0].id) : 0;
	}

	/**
	 * Id of the newest execution of any workflow, or 0.
	 * @returns {Promise<number>}
	 */
	async newestExecutionId() {
		const { results } = await this.rest('GET', '/executions?limit=1');
		return results.length > 0 ? Number(results[0].id) : 0;
	}

	/**
	 * Waits for the first execution of the workflow newer than `afterId` to finish.
	 * @param {string} workflowId
	 * @param {number} afterId
	 * @param {number} [timeoutMs]
	 */
	async waitForExecutionAfter(workflowId, afterId, timeoutMs = 30_000) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const { results } = await this.rest('GET', `/executions?filter=${filter}&limit=20`);
			const next = results
				.filter((/** @type {{ id: string }} */ execution) => Number(execution.id) > afterId)
				.sort((/** @type {{ id: string }} */ a, /** @type {{ id: string }} */ b) => Number(a.id) - Number(b.id))[0];
			const execution = next && next.status !== 'running' && next.status !== 'new' ? await this.execution(next.id) : undefined;
			if (execution) return execution;
			await sleep(200);
		}
		throw new Error(`No finished execution of workflow ${workflowId} after #${afterId} within ${timeoutMs} ms`);
	}

	/**
	 * An execution with its run data, as n8n recorded it. `queued` holds the input of nodes that
	 * never ran: in queue mode, the trigger's items wait there until a worker takes the job.
	 * Undefined when there is no such execution (n8n answers 200 without data).
	 * @param {string | number} id
	 * @returns {Promise<{ id: string, workflowId: string, status: string, runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown>, binary?: Record<string, { fileName?: string, mimeType?: string }> }> | null> } }>>, queued: Record<string, Array<Array<{ json: Record<string, unknown> }> | null>> } | undefined>}
	 */
	async execution(id) {
		const execution = await this.rest('GET', `/executions/${id}`);
		if (!execution) return undefined;
		// n8n stores run data in the "flatted" format (JSON with shared references).
		const flatted = require(path.join(this.runtime.dir, 'node_modules', 'flatted'));
		const data = typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
		const stack = /** @type {Array<{ node: { name: string }, data: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>} */ (
			data.executionData?.nodeExecutionStack ?? []
		);
		return {
			id: String(execution.id),
			workflowId: String(execution.workflowId),
			status: execution.status,
			runData: data.resultData.runData,
			queued: Object.fromEntries(stack.map((entry) => [entry.node.name, entry.data.main])),
		};
	}

	async signIn() {
		const post = (/** @type {string} */ route, /** @type {object} */ body) =>
			fetch(`${this.baseUrl}/rest${route}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'browser-id': 'airudder-tests' },
				body: JSON.stringify(body),
			});
		let response = await post('/owner/setup', LOCAL_OWNER);
		if (!response.ok) {
			response = await post('/login', { emailOrLdapLoginId: LOCAL_OWNER.email, email: LOCAL_OWNER.email, password: LOCAL_OWNER.password });
		}
		if (!response.ok) throw new Error(`Could not sign in to n8n: ${response.status} ${await response.text()}`);
		const setCookie = response.headers.get('set-cookie') ?? '';
		this.cookie = setCookie.split(';')[0];
	}
}

/**
 * Starts a program in its own process group, output appended to `logFile` (emptied first), and
 * tracks it so that it is killed on every way out of this process.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, logFile: string, uid?: number, gid?: number, cwd?: string }} options
 */
function spawnTracked(command, args, options) {
	fs.writeFileSync(options.logFile, '');
	if (options.uid !== undefined) fs.chownSync(options.logFile, options.uid, options.gid ?? options.uid);
	const logFd = fs.openSync(options.logFile, 'a');
	const child = spawn(command, args, {
		env: options.env ?? process.env,
		cwd: options.cwd,
		stdio: ['ignore', logFd, logFd],
		detached: true,
		uid: options.uid,
		gid: options.gid,
	});
	fs.closeSync(logFd);
	const pid = child.pid;
	if (!pid) throw new Error(`${command} did not start`);
	runningGroups.add(pid);
	child.on('exit', () => runningGroups.delete(pid));
	return child;
}

/**
 * Stops a process started by `spawnTracked`: SIGTERM to its group, SIGKILL after `graceMs`.
 * @param {import('node:child_process').ChildProcess | undefined} child
 * @param {number} [graceMs]
 */
async function stopTracked(child, graceMs = 10_000) {
	const pid = child?.pid;
	if (!pid) return;
	// A leader that has exited can leave its group behind (n8n's task runners).
	await stopGroup(pid, child.exitCode === null ? graceMs : 0);
}

/**
 * SIGTERM to a process group, SIGKILL if its leader is still there after `graceMs`.
 * @param {number} pid
 * @param {number} graceMs
 */
async function stopGroup(pid, graceMs) {
	if (signalGroup(pid, 'SIGTERM')) {
		const deadline = Date.now() + graceMs;
		while (Date.now() < deadline && isAlive(pid)) await sleep(100);
	}
	signalGroup(pid, 'SIGKILL');
	runningGroups.delete(pid);
}

/**
 * A port whose successor is free too (n8n's task broker listens there), on 127.0.0.1.
 * @returns {Promise<number>}
 */
async function findFreePortPair() {
	const net = require('node:net');
	const isFree = (/** @type {number} */ port) =>
		new Promise((resolve) => {
			const server = net.createServer();
			server.once('error', () => resolve(false));
			server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
		});
	for (let attempt = 0; attempt < 50; attempt++) {
		// Below Linux's ephemeral range (32768 and up), where outgoing connections take ports.
		const port = 20_000 + 2 * Math.floor(Math.random() * 6_000);
		if ((await isFree(port)) && (await isFree(port + 1))) return port;
	}
	throw new Error('No two adjacent free ports found on 127.0.0.1');
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv }} options
 */
function runQuiet(command, args, options) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} failed:\n${output}`))));
	});
}

module.exports = { N8nInstance, LOCAL_OWNER, findFreePortPair, runQuiet, spawnTracked, stopTracked, stopTrackedOnSignals };
