// @ts-check
/**
 * node test/helpers/requireProbe.js <module>: requires the module and prints, as the last line of
 * its output, one JSON object saying what requiring it did to this process: listeners added to
 * `process`, timers set, resources left keeping the process alive, files written, programs
 * started, the environment or working folder changed. Writes and program starts are recorded
 * instead of done, so a module that breaks the rule changes nothing while it is being caught.
 */
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const timers = require('node:timers');

const modulePath = path.resolve(process.argv[2]);

const WRITING = /^(appendFile|chmod|chown|copyFile|cp|createWriteStream|fchmod|fchown|fdatasync|fsync|ftruncate|futimes|lchmod|lchown|link|lutimes|mkdir|mkdtemp|rename|rm|rmdir|symlink|truncate|unlink|utimes|write|writeFile|writev)(Sync)?$/;
const OPENING = /^open(Sync)?$/;
const STARTING = /^(exec|execFile|fork|spawn)(Sync)?$/;
const TIMERS = ['setTimeout', 'setInterval', 'setImmediate'];

/** @type {{ writes: string[], started: string[], timers: string[] }} */
const recorded = { writes: [], started: [], timers: [] };

/** @param {unknown[]} args of `open` or `openSync`: path, then flags unless a callback comes first */
function opensForWriting([, flags]) {
	if (typeof flags === 'number') return (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) !== 0;
	return typeof flags === 'string' && /[wa+]/.test(flags);
}

/**
 * Replaces the functions of `target` whose names `matches` accepts with ones that record each call
 * in `into` (except those `isHarmless` accepts) and make it only when `stillRun` says so.
 * @param {Record<string, any>} target
 * @param {(name: string) => boolean} matches
 * @param {string[]} into
 * @param {{ isHarmless?: (name: string, args: unknown[]) => boolean, stillRun?: boolean }} [options]
 * @returns {() => void} puts the originals back
 */
function intercept(target, matches, into, { isHarmless = () => false, stillRun = false } = {}) {
	const originals = Object.getOwnPropertyNames(target)
		.filter((name) => matches(name) && typeof target[name] === 'function')
		.map((name) => /** @type {[string, Function]} */ ([name, target[name]]));
	for (const [name, original] of originals) {
		target[name] = (/** @type {unknown[]} */ ...args) => {
			if (isHarmless(name, args)) return original(...args);
			into.push(`${name}(${String(args[0])})`);
			return stillRun ? original(...args) : undefined;
		};
	}
	return () => originals.forEach(([name, original]) => (target[name] = original));
}

/** @returns {Record<string, number>} */
function listenerCounts() {
	return Object.fromEntries(process.eventNames().map((event) => [String(event), process.listenerCount(event)]));
}

/**
 * The entries of `after` that `before` lacks, counting repeats.
 * @param {string[]} before
 * @param {string[]} after
 */
function added(before, after) {
	const left = [...before];
	return after.filter((entry) => {
		const index = left.indexOf(entry);
		if (index === -1) return true;
		left.splice(index, 1);
		return false;
	});
}

// Both created before writes are intercepted: a stream created later, when the module first
// logs, would keep the interceptor as its way to write to a file.
const { stdout } = process;
void process.stderr;
const listenersBefore = listenerCounts();
const resourcesBefore = process.getActiveResourcesInfo();
const envBefore = { ...process.env };
const cwdBefore = process.cwd();
const { setImmediate: laterOnOwnTimer } = timers;

const writesFiles = (/** @type {string} */ name) => WRITING.test(name) || OPENING.test(name);
const opensForReading = (/** @type {string} */ name, /** @type {unknown[]} */ args) => OPENING.test(name) && !opensForWriting(args);
const restore = [
	intercept(fs, writesFiles, recorded.writes, { isHarmless: opensForReading }),
	intercept(fs.promises, writesFiles, recorded.writes, { isHarmless: opensForReading }),
	intercept(childProcess, (name) => STARTING.test(name), recorded.started),
	// Timers run: a module may rely on one, and whether it keeps the process alive is reported too.
	...[globalThis, timers].map((target) => intercept(target, (name) => TIMERS.includes(name), recorded.timers, { stillRun: true })),
];

/** @type {string | undefined} */
let requireError;
try {
	require(modulePath);
} catch (error) {
	requireError = error instanceof Error ? error.message : String(error);
}

// After the module's own promise callbacks have run too.
laterOnOwnTimer(() => {
	restore.forEach((undo) => undo());
	const listenersAfter = listenerCounts();
	const envKeys = new Set([...Object.keys(envBefore), ...Object.keys(process.env)]);
	const report = {
		requireError,
		listeners: Object.fromEntries(
			Object.entries(listenersAfter).filter(([event, count]) => count > (listenersBefore[event] ?? 0)),
		),
		timers: recorded.timers,
		resources: added(resourcesBefore, process.getActiveResourcesInfo()),
		writes: recorded.writes,
		started: recorded.started,
		env: [...envKeys].filter((key) => envBefore[key] !== process.env[key]),
		cwd: process.cwd() === cwdBefore ? undefined : process.cwd(),
	};
	stdout.write(`${JSON.stringify(report)}\n`);
});
