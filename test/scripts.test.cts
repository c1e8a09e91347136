/**
 * scripts/ are tools whose modules have no side effects when required: an entry point decides
 * what happens to the process (which signals stop it, what is stopped when it exits), and a test
 * can load any module without starting, writing or leaving anything behind.
 */
import { spawn, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

import { withInstallLock } from '../scripts/lib/runtime';
import { ROOT } from './helpers/triggers.cjs';

const LIBRARY = join(ROOT, 'scripts', 'lib');
/** The folders of entry points (`node scripts/…`), which run when required; every other folder's modules must not. */
const ENTRY_POINT_FOLDERS = ['scripts', 'scripts/performance'];
const PROBE = join(ROOT, 'test', 'helpers', 'requireProbe.js');

interface ProbeReport {
	requireError?: string;
	listeners: Record<string, number>;
	timers: string[];
	resources: string[];
	writes: string[];
	started: string[];
	env: string[];
	cwd?: string;
}

/** What requiring `file` in a fresh `node` did, and whether that process then ended by itself. */
function probe(file: string) {
	const child = spawnSync(process.execPath, [PROBE, file], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
	const lines = child.stdout.trimEnd().split('\n');
	const report = JSON.parse(lines.pop() ?? '{}') as ProbeReport;
	return { report, printed: lines.join('\n') + child.stderr, exit: { status: child.status, signal: child.signal } };
}

const NOTHING: ProbeReport = { listeners: {}, timers: [], resources: [], writes: [], started: [], env: [] };

let scratch: string;
beforeAll(() => {
	scratch = mkdtempSync(join(tmpdir(), 'airudder-scripts-test-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('requiring a module of the scripts\' libraries', () => {
	const modules = readdirSync(join(ROOT, 'scripts'), { recursive: true, encoding: 'utf8' })
		.map((file) => `scripts/${file}`)
		.filter((file) => file.endsWith('.js') && !ENTRY_POINT_FOLDERS.includes(dirname(file)))
		.sort();

	it('finds every library', () => {
		expect(modules).toEqual(
			expect.arrayContaining(['scripts/lib/processes.js', 'scripts/lib/load/sender.js', 'scripts/performance/lib/queueMode.js']),
		);
	});

	it.each(modules)('%s: adds no listener, sets no timer, writes, starts and changes nothing, and lets node exit', (file) => {
		expect(probe(join(ROOT, file))).toEqual({ report: NOTHING, printed: '', exit: { status: 0, signal: null } });
	});

	it('is checked by a probe that catches each of those, in a module that does them all', () => {
		const written = join(scratch, 'written');
		const rude = join(scratch, 'rude.js');
		writeFileSync(
			rude,
			[
				"const fs = require('fs');",
				"process.once('exit', () => {});",
				"process.on('SIGTERM', () => {});",
				"Promise.resolve().then(() => process.on('uncaughtException', () => {}));",
				'setTimeout(() => {}, 200);',
				`fs.writeFileSync(${JSON.stringify(written)}, 'x');`,
				"require('child_process').spawn('sleep', ['60']);",
				"process.env.AIRUDDER_SET_BY_A_MODULE = '1';",
				"console.log('hello');",
			].join('\n'),
		);
		const { report, printed, exit } = probe(rude);
		expect(report).toEqual({
			listeners: { exit: 1, SIGTERM: 1, uncaughtException: 1 },
			timers: ['setTimeout(() => {})'],
			resources: ['Timeout'],
			writes: [`writeFileSync(${written})`],
			started: ['spawn(sleep)'],
			env: ['AIRUDDER_SET_BY_A_MODULE'],
		});
		expect(printed).toBe('hello');
		expect(exit).toEqual({ status: 0, signal: null });
		expect(readdirSync(scratch)).toEqual(['rude.js']);
	});
});

describe('the exit guard of processes.js', () => {
	/** Starts `sleep` as a tracked process in a node that then exits; returns the sleeper's PID. */
	function sleeperLeftBy(optIn: boolean): number {
		const logFile = join(scratch, 'sleep.log');
		const script = [
			`const processes = require(${JSON.stringify(join(LIBRARY, 'processes.js'))});`,
			optIn ? 'processes.stopTrackedOnExit();' : '',
			`const sleeper = processes.spawnTracked('sleep', ['30'], { logFile: ${JSON.stringify(logFile)} });`,
			'console.log(sleeper.pid);',
			'process.exit(0);',
		].join('\n');
		const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
		expect(child.stderr).toBe('');
		return Number(child.stdout.trim());
	}

	/** A killed process stays a zombie until its new parent reaps it, which may be never here. */
	const isRunning = (pid: number) => {
		try {
			return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
		} catch {
			return false;
		}
	};

	it('is off until an entry point opts in: requiring processes.js leaves what it starts alone', () => {
		const pid = sleeperLeftBy(false);
		try {
			expect(isRunning(pid)).toBe(true);
		} finally {
			process.kill(-pid, 'SIGKILL');
		}
	});

	it('once opted into, kills every tracked process when node exits', async () => {
		const pid = sleeperLeftBy(true);
		const deadline = Date.now() + 5_000;
		while (isRunning(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
		expect(isRunning(pid)).toBe(false);
	});
});

describe('the install lock of runtime.js', () => {
	const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
	const lockOf = (dir: string) => `${dir}.install-lock`;

	/**
	 * Starts a node that takes the lock on `dir` as `node scripts/provision.js` does (its signal
	 * handling included), says "locked" and holds it; resolves once it holds it.
	 */
	async function holderOf(dir: string) {
		const script = [
			`const { stopTrackedOnSignals } = require(${JSON.stringify(join(LIBRARY, 'processes.js'))});`,
			`const { withInstallLock } = require(${JSON.stringify(join(LIBRARY, 'runtime.js'))});`,
			'stopTrackedOnSignals({ graceMs: 1_000 });',
			`void withInstallLock(${JSON.stringify(dir)}, () => undefined, () => { console.log('locked'); return new Promise(() => setInterval(() => {}, 1_000)); });`,
		].join('\n');
		const holder = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
		await new Promise<void>((resolve, reject) => {
			holder.stdout.on('data', (chunk: Buffer) => (String(chunk).includes('locked') ? resolve() : undefined));
			holder.on('exit', (code) => reject(new Error(`the lock holder exited (${code}) before taking the lock`)));
		});
		const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
			holder.on('exit', (code, signal) => resolve({ code, signal })),
		);
		return { holder, exited };
	}

	it('makes a second install into the same folder wait until the first has finished', async () => {
		const dir = join(scratch, 'n8n-locked');
		const order: string[] = [];
		const waits: string[] = [];
		const first = withInstallLock(dir, () => undefined, async () => {
			order.push('first starts');
			await sleep(2_500);
			order.push('first ends');
		});
		await sleep(100);
		const second = withInstallLock(dir, (line) => waits.push(line), async () => {
			order.push('second starts');
		});
		await Promise.all([first, second]);
		expect(order).toEqual(['first starts', 'first ends', 'second starts']);
		expect(waits).toEqual([`Waiting for another program to finish installing into ${dir}…`]);
		expect(existsSync(lockOf(dir))).toBe(false);
	}, 15_000);

	it('makes another program wait too, while the lock is held', async () => {
		const dir = join(scratch, 'n8n-held');
		const { holder, exited } = await holderOf(dir);
		try {
			const waits: string[] = [];
			let installed = false;
			const second = withInstallLock(dir, (line) => waits.push(line), async () => (installed = true));
			while (waits.length === 0) await sleep(50);
			expect(waits).toEqual([`Waiting for another program to finish installing into ${dir}…`]);
			expect(installed).toBe(false);
			holder.kill('SIGTERM');
			await second;
			expect(installed).toBe(true);
		} finally {
			holder.kill('SIGKILL');
			await exited;
		}
	}, 15_000);

	it('is freed when the program holding it is stopped with SIGTERM, as CI stops its background install', async () => {
		const dir = join(scratch, 'n8n-stopped');
		const { holder, exited } = await holderOf(dir);
		expect(existsSync(lockOf(dir))).toBe(true);
		holder.kill('SIGTERM');
		expect(await exited).toEqual({ code: 143, signal: null });
		expect(existsSync(lockOf(dir))).toBe(false);
	}, 15_000);

	it('is taken over once the lock of a killed program has gone stale', async () => {
		const dir = join(scratch, 'n8n-killed');
		const { holder, exited } = await holderOf(dir);
		holder.kill('SIGKILL');
		await exited;
		// SIGKILL leaves the lock behind; no one refreshes it any more, so it ages, as it looks here.
		expect(existsSync(lockOf(dir))).toBe(true);
		const anHourAgo = new Date(Date.now() - 3_600_000);
		utimesSync(lockOf(dir), anHourAgo, anHourAgo);
		const waits: string[] = [];
		await expect(withInstallLock(dir, (line) => waits.push(line), async () => 'installed')).resolves.toBe('installed');
		expect(waits).toEqual([]);
		expect(existsSync(lockOf(dir))).toBe(false);
	}, 15_000);

	it('ignores the lock files of the earlier hand-written lock, so caches installed by it stay usable', async () => {
		const dir = join(scratch, 'n8n-earlier');
		writeFileSync(`${dir}.lock`, String(process.pid));
		await expect(withInstallLock(dir, () => undefined, async () => 'installed')).resolves.toBe('installed');
		rmSync(`${dir}.lock`);
	});
});

describe('the maps of scripts/ (scripts/README.md, and scripts/performance/README.md for its own modules)', () => {
	const readme = (folder: string) => readFileSync(join(ROOT, folder, 'README.md'), 'utf8');
	const sectionOf = (text: string, heading: string) => text.split(`\n## ${heading}\n`)[1].split('\n## ')[0];
	const namesIn = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map(([, name]) => name);
	const filesUnder = (folder: string, recursive: boolean, suffix = '.js') =>
		readdirSync(join(ROOT, folder), { recursive, encoding: 'utf8' })
			.filter((file) => file.endsWith(suffix))
			.map((file) => `${folder}/${file}`);

	const scriptsMap = readme('scripts');
	// The performance tools' modules are named in the first bullet of its "The code" section.
	const [performanceModules] = sectionOf(readme('scripts/performance'), 'The code').split('\n- ');
	const mapped = [
		...namesIn(sectionOf(scriptsMap, 'Entry points'), /^\| `([^`]+\.js)` \|/gm).map((name) => `scripts/${name}`),
		...namesIn(sectionOf(scriptsMap, '`lib/`'), /^- `([^`]+\.js)`: /gm).map((name) => `scripts/lib/${name}`),
		...namesIn(sectionOf(scriptsMap, '`types/`'), /^- `([^`]+\.d\.ts)`: /gm).map((name) => `scripts/types/${name}`),
		...namesIn(performanceModules, /`([\w/]+\.js)`/g).map((name) => `scripts/performance/lib/${name}`),
	];

	it('name every entry point, library module and type declaration of scripts/ once, and no file that is gone', () => {
		const files = [
			...filesUnder('scripts', false),
			...filesUnder('scripts/performance', false),
			...filesUnder('scripts/lib', true),
			...filesUnder('scripts/performance/lib', true),
			...filesUnder('scripts/types', false, '.d.ts'),
		];
		expect(mapped.sort()).toEqual(files.sort());
	});
});
