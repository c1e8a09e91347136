// @ts-check
/**
 * Programs the scripts and tests start and must not leave behind: each runs in its own process
 * group and is tracked by PID until it exits. Stopping them when this Node process ends is each
 * entry point's choice (`stopTrackedOnExit`, `stopTrackedOnSignals`), so requiring this module
 * changes nothing about the process that requires it.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const { setTimeout: sleep } = require('node:timers/promises');
const vm = require('node:vm');

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

/**
 * SIGKILL to a process group, as a crash or an out-of-memory kill would end it: no chance to
 * finish anything.
 * @param {number} pid
 */
function killGroup(pid) {
	signalGroup(pid, 'SIGKILL');
}

function killAllNow() {
	for (const pid of runningGroups) killGroup(pid);
	runningGroups.clear();
}

/**
 * Kills every tracked process group when this Node process exits, however it exits, so that
 * nothing an entry point or a test suite started outlives it. Calling it again changes nothing.
 */
function stopTrackedOnExit() {
	// Under jest, `process` is a copy made for the test file, and its 'exit' never fires; the
	// process of Node's main context is the one that exits.
	const nodeProcess = /** @type {NodeJS.Process} */ (vm.runInThisContext('process'));
	if (!nodeProcess.listeners('exit').includes(killAllNow)) nodeProcess.once('exit', killAllNow);
}

/**
 * For a command-line tool: every tracked process stops when the tool exits, and when it is
 * interrupted (Ctrl-C, a CI timeout's SIGTERM), which ends Node.js without an 'exit' event.
 */
function stopTrackedOnExitOrSignal() {
	stopTrackedOnExit();
	stopTrackedOnSignals({ graceMs: 5_000 });
}

/** Exit codes a shell reports for a process ended by these signals. */
const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * Makes Ctrl-C, SIGINT, SIGTERM and SIGHUP stop every tracked process gracefully: SIGTERM to each
 * process group, `graceMs` for its own shutdown (n8n finishes running executions and closes its
 * database), SIGKILL after that, then exit. A signal that arrives again while stopping (npm
 * forwards the terminal's Ctrl-C that the shell already delivered) changes nothing.
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

/**
 * Starts a program in its own process group, output appended to `logFile` (emptied first), and
 * tracks it until it exits.
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
	killGroup(pid);
	runningGroups.delete(pid);
}

/**
 * Resolves with a child's output once it exits with 0, rejects with it otherwise.
 * @param {import('node:child_process').ChildProcessByStdio<null, import('node:stream').Readable, import('node:stream').Readable>} child
 * @param {string} label names the command in the error
 * @returns {Promise<string>}
 */
function outputOf(child, label) {
	return new Promise((resolve, reject) => {
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('error', reject);
		child.on('exit', (code, signal) => (code === 0 ? resolve(output) : reject(new Error(`${label} failed (exit ${code ?? signal}):\n${output}`))));
	});
}

/**
 * Runs a command to completion and resolves with its output. It shares this process's group, so
 * a Ctrl-C in the terminal reaches it too.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} options past `timeoutMs`, the command gets SIGTERM and fails
 */
function runQuiet(command, args, options) {
	const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs });
	return outputOf(child, `${command} ${args.join(' ')}`);
}

/**
 * Runs a command to completion in its own tracked process group, SIGKILLed after `timeoutMs`,
 * and resolves with its output.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env: NodeJS.ProcessEnv, timeoutMs: number, label: string }} options `label` names the command in the error
 */
function runTracked(command, args, options) {
	const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	const pid = child.pid;
	if (!pid) return outputOf(child, options.label);
	runningGroups.add(pid);
	const timer = setTimeout(() => killGroup(pid), options.timeoutMs);
	child.on('exit', () => {
		clearTimeout(timer);
		runningGroups.delete(pid);
	});
	return outputOf(child, options.label);
}

/**
 * A running process's resident memory, from /proc; 0 once it is gone.
 * @param {number} pid
 */
function rssMegabytes(pid) {
	try {
		const match = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Math.round(Number(match[1]) / 1024) : 0;
	} catch {
		return 0;
	}
}

module.exports = { rssMegabytes, killGroup, runQuiet, runTracked, spawnTracked, stopTracked, stopTrackedOnExit, stopTrackedOnExitOrSignal, stopTrackedOnSignals };
