// @ts-check
/**
 * Debian packages the tests need, installed if missing: Redis, PostgreSQL and nginx (the load
 * balancer in front of the webhook processors) for n8n's queue mode, started on 127.0.0.1 with
 * their data in folders of ours, tracked by PID and stopped with us; and Chromium for the browser
 * test.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { runQuiet, spawnTracked, stopTracked } = require('./processes');

const DEBIAN_PACKAGES = ['redis-server', 'postgresql', 'nginx'];
const NGINX = '/usr/sbin/nginx';
const DATABASE = { name: 'n8n', user: 'n8n' };
/** A stuck mirror or lock must not hold a bounded run (test:scale) past its limit. */
const APT_GET_TIMEOUT_MS = 10 * 60_000;
/**
 * initdb, createdb and psql run synchronously, so nothing else (not a run's own deadline) can act
 * while one hangs; each is killed after this. The slowest, initdb, takes seconds.
 */
const POSTGRES_COMMAND_TIMEOUT_MS = 60_000;

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
	await runQuiet('apt-get', ['update'], { cwd: '/', env, timeoutMs: APT_GET_TIMEOUT_MS });
	await runQuiet('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { cwd: '/', env, timeoutMs: APT_GET_TIMEOUT_MS });
}

/** @param {(line: string) => void} log */
async function ensureDebianPackages(log) {
	if (onPath('redis-server') && postgresBin() && fs.existsSync(NGINX)) return;
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
 * nginx as the load balancer in front of n8n's webhook processors, on 127.0.0.1:`port`, its
 * configuration, logs and temporary files in `folder`. Each request goes to the upstream with
 * the fewest requests in flight (`least_conn`). nginx passes a request to the next upstream only
 * when it could not send it (`proxy_next_upstream error timeout`, where a timeout is the 1 s
 * connect timeout) and, for a POST, only if it had not sent it yet, nginx's default without
 * `non_idempotent`: a callback a processor may have taken is never sent to a second one. Its
 * caller gets 502 and AIRudder sends it again later, which Ignore Repeated Deliveries catches.
 * The access log records, per request, which upstream answered, how long it took, and the
 * callback's signature header, the same on every copy AIRudder sends of one body and different
 * between bodies, so that each retry can be traced to the processor that took it.
 * @param {string} folder
 * @param {number} port
 * @param {number[]} upstreamPorts
 */
async function startNginx(folder, port, upstreamPorts) {
	fs.mkdirSync(folder, { recursive: true });
	const accessLog = path.join(folder, 'access.log');
	const config = path.join(folder, 'nginx.conf');
	const lines = [
		// As root, nginx's workers would otherwise switch to a user that cannot write our folder.
		...(process.getuid?.() === 0 ? ['user root;'] : []),
		'daemon off;',
		'worker_processes 1;',
		`pid ${path.join(folder, 'nginx.pid')};`,
		`error_log ${path.join(folder, 'error.log')} warn;`,
		'events { worker_connections 4096; }',
		'http {',
		'  log_format timings \'$msec|$upstream_addr|$upstream_status|$upstream_response_time|$request_time|$status|$http_x_airudder_sign\';',
		`  access_log ${accessLog} timings;`,
		...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${path.join(folder, `${kind}_temp`)};`),
		'  client_max_body_size 64m;',
		'  upstream webhook_processors {',
		'    least_conn;',
		...upstreamPorts.map((upstream) => `    server 127.0.0.1:${upstream};`),
		'  }',
		'  server {',
		`    listen 127.0.0.1:${port};`,
		'    location / {',
		'      proxy_pass http://webhook_processors;',
		'      proxy_http_version 1.1;',
		'      proxy_set_header Connection "";',
		'      proxy_set_header Host $http_host;',
		'      proxy_next_upstream error timeout;',
		'      proxy_connect_timeout 1s;',
		'      proxy_read_timeout 120s;',
		'    }',
		'  }',
		'}',
	];
	fs.writeFileSync(config, `${lines.join('\n')}\n`);
	const logFile = path.join(folder, 'nginx.log');
	const child = spawnTracked(NGINX, ['-p', folder, '-c', config, '-e', path.join(folder, 'error.log')], { logFile });
	const deadline = Date.now() + 30_000;
	while (!(await accepts(port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await stopTracked(child);
			throw new Error(`nginx did not start; see ${logFile} and ${path.join(folder, 'error.log')}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return { port, accessLog, stop: () => stopTracked(child) };
}

/** Whether something accepts connections on 127.0.0.1:`port`. @param {number} port */
function accepts(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
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
			execFileSync(path.join(bin, program), args, { ...owner, cwd: folder, stdio: 'pipe', timeout: POSTGRES_COMMAND_TIMEOUT_MS });
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
	const connection = ['-h', '127.0.0.1', '-p', String(port), '-U', DATABASE.user];
	runAsOwner('createdb', [...connection, DATABASE.name]);
	return {
		port,
		database: DATABASE,
		/** A further database in this cluster, for data that is not n8n's. @param {string} name */
		createDatabase: (name) => runAsOwner('createdb', [...connection, name]),
		/**
		 * Runs SQL in `database` and returns its rows, each a list of the columns' text.
		 * @param {string} database
		 * @param {string} sql
		 * @returns {string[][]}
		 */
		query: (database, sql) =>
			execFileSync(path.join(bin, 'psql'), [...connection, '-d', database, '-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
				encoding: 'utf8',
				maxBuffer: 256 * 1024 * 1024,
				timeout: POSTGRES_COMMAND_TIMEOUT_MS,
			})
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => line.split('\t')),
		stop: async () => {
			await stopTracked(child);
			fs.rmSync(folder, { recursive: true, force: true });
		},
	};
}

module.exports = { ensureChromium, ensureDebianPackages, startNginx, startPostgres, startRedis };
