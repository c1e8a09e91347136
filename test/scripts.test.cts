/**
 * scripts/ are tools whose modules have no side effects when required: an entry point decides
 * what happens to the process (which signals stop it, what is stopped when it exits), and a test
 * can load any module without starting, writing or leaving anything behind.
 */
import { spawn, spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

import { setStaleLockAside, withInstallLock } from '../scripts/lib/runtime';
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
		expect(waits).toEqual([expect.stringMatching(new RegExp(`^Waiting for another program \\(PID ${process.pid}\\) to finish installing into `))]);
		expect(readdirSync(scratch)).not.toContain('n8n-locked.lock');
	}, 15_000);

	it('takes over a lock whose program has died', async () => {
		const dir = join(scratch, 'n8n-stale');
		const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
		writeFileSync(`${dir}.lock`, dead.stdout.trim());
		const waits: string[] = [];
		await expect(withInstallLock(dir, (line) => waits.push(line), async () => 'installed')).resolves.toBe('installed');
		expect(waits).toEqual([]);
	});

	it('leaves alone, when it finishes, a lock that another program has taken over in the meantime', async () => {
		const dir = join(scratch, 'n8n-taken');
		const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
		try {
			await withInstallLock(dir, () => undefined, async () => {
				rmSync(`${dir}.lock`);
				writeFileSync(`${dir}.lock`, String(other.pid));
			});
			expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(other.pid));
		} finally {
			other.kill();
			rmSync(`${dir}.lock`, { force: true });
		}
	});

	it('puts back a live lock it moved when two waiters took over the same dead one', () => {
		const lockFile = join(scratch, 'n8n-race.lock');
		const judged = '999999999';
		writeFileSync(lockFile, judged);
		// The faster waiter has already moved the dead lock aside and written its own.
		rmSync(lockFile);
		writeFileSync(lockFile, String(process.pid));
		setStaleLockAside(lockFile, judged);
		expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
		expect(readdirSync(scratch).filter((name) => name.startsWith('n8n-race'))).toEqual(['n8n-race.lock']);
		rmSync(lockFile);
	});

	it('moves a dead lock away when it is the one judged', () => {
		const lockFile = join(scratch, 'n8n-dead.lock');
		writeFileSync(lockFile, '999999999');
		setStaleLockAside(lockFile, '999999999');
		expect(readdirSync(scratch).filter((name) => name.startsWith('n8n-dead'))).toEqual([]);
	});

	it('takes over a lock that holds no valid PID', async () => {
		const dir = join(scratch, 'n8n-empty');
		writeFileSync(`${dir}.lock`, '');
		await expect(withInstallLock(dir, () => undefined, async () => 'installed')).resolves.toBe('installed');
		expect(readdirSync(scratch).filter((name) => name.startsWith('n8n-empty'))).toEqual([]);
	});
});
