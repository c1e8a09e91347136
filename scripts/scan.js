#!/usr/bin/env node
// @ts-check
/**
 * npm run scan: the checks n8n makes before it verifies a community package, run offline.
 *
 * @n8n/scan-community-package lints two things: the source that the npm provenance attestation
 * points at (node and credential sources plus package.json), and the published tarball. Its
 * command line only takes a published package name, so its two legs are called directly here:
 * on the committed HEAD, as a release tag would build it, and on the tarball `npm pack` makes
 * of the current build. A third check keeps the tarball to what n8n loads, under a size limit.
 * The scanner's provenance leg needs a package published from GitHub Actions; it is not here.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { REPO_ROOT } = require('./lib/repoRoot');

/** The packed size README.md promises; a larger tarball means something that n8n does not load slipped in. */
const MAX_PACKED_BYTES = 150 * 1024;

/** What n8n loads from the package: compiled code, codex, output schemas, icons; npm adds package.json, README and LICENSE. */
const SHIPPED_FILE_PATTERNS = [
	/^package\.json$/,
	/^README\.md$/,
	/^LICENSE$/,
	/^dist\/(nodes|credentials)\/.+\.js$/,
	/^dist\/nodes\/(\w+)\/\1\.node\.json$/,
	/^dist\/nodes\/\w+\/__schema__\/v\d+\.\d+\.\d+(\/output)?\.json$/,
	// A node with resource and operation: the editor's schema preview reads one file per operation.
	/^dist\/nodes\/\w+\/__schema__\/v\d+\.\d+\.\d+\/\w+\/\w+\.json$/,
	/^dist\/icons\/[\w.-]+\.svg$/,
];

/**
 * @typedef {object} CheckResult
 * @property {string} name
 * @property {boolean} passed
 * @property {string} summary
 * @property {string} [details]
 */

/** @param {string} prefix */
function makeTempDir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 */
function run(command, args, cwd) {
	return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function loadScanner() {
	return await import('@n8n/scan-community-package/scanner/scanner.mjs');
}

/**
 * The scanner's source leg on the committed tree, exactly as `git archive` gives it.
 * @param {string} workDir
 * @returns {Promise<CheckResult>}
 */
async function scanSource(workDir) {
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await loadScanner();
	const commit = run('git', ['rev-parse', '--short', 'HEAD'], REPO_ROOT).trim();
	const sourceDir = path.join(workDir, 'source');
	fs.mkdirSync(sourceDir);
	const archive = path.join(workDir, 'source.tar');
	run('git', ['archive', '--format=tar', '-o', archive, 'HEAD'], REPO_ROOT);
	run('tar', ['-xf', archive, '-C', sourceDir], workDir);
	const result = await analyzePackage(sourceDir, SOURCE_FILE_PATTERNS);
	return {
		name: `source of HEAD (${commit})`,
		passed: result.passed,
		summary: result.passed ? `no violation in ${SOURCE_FILE_PATTERNS.join(', ')}` : (result.message ?? 'failed'),
		details: result.details,
	};
}

/**
 * Packs the current build and unpacks it, as n8n's installer does.
 * @param {string} workDir
 */
function packTarball(workDir) {
	const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', workDir], REPO_ROOT));
	const packageDir = path.join(workDir, 'package');
	run('tar', ['-xzf', path.join(workDir, packed.filename), '-C', workDir], workDir);
	return { packageDir, size: Number(packed.size), files: packed.files.map((/** @type {{ path: string }} */ file) => file.path) };
}

/**
 * @param {string} packageDir
 * @returns {Promise<CheckResult>}
 */
async function scanTarball(packageDir) {
	const { analyzePackage } = await loadScanner();
	const result = await analyzePackage(packageDir, ['**/*.js', 'package.json']);
	return {
		name: 'packed tarball',
		passed: result.passed,
		summary: result.passed ? 'no violation in its JavaScript and package.json' : (result.message ?? 'failed'),
		details: result.details,
	};
}

/**
 * @param {string[]} files paths inside the tarball
 * @param {number} size packed bytes
 * @returns {CheckResult}
 */
function checkTarballContents(files, size) {
	const unexpected = files.filter((file) => !SHIPPED_FILE_PATTERNS.some((pattern) => pattern.test(file)));
	const problems = [
		...unexpected.map((file) => `${file} is not something n8n loads; keep it out of "files" in package.json`),
		...(size > MAX_PACKED_BYTES
			? [`the tarball is ${(size / 1024).toFixed(1)} kB packed, over the ${MAX_PACKED_BYTES / 1024} kB that README.md states`]
			: []),
	];
	return {
		name: 'tarball contents',
		passed: problems.length === 0,
		summary: `${files.length} files, ${(size / 1024).toFixed(1)} kB packed (limit ${MAX_PACKED_BYTES / 1024} kB)`,
		details: problems.join('\n'),
	};
}

/** @param {CheckResult} result */
function report(result) {
	console.log(`${result.passed ? 'PASS' : 'FAIL'} ${result.name}: ${result.summary}`);
	if (!result.passed && result.details) console.log(result.details);
}

async function main() {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) throw new Error('No dist/ to pack: run npm run build first.');
	const workDir = makeTempDir('airudder-scan-');
	try {
		const { packageDir, size, files } = packTarball(workDir);
		const results = [await scanSource(workDir), await scanTarball(packageDir), checkTarballContents(files, size)];
		results.forEach(report);
		const failed = results.filter((result) => !result.passed).length;
		console.log(`scan: ${results.length - failed} passed, ${failed} failed`);
		if (failed > 0) process.exitCode = 1;
	} finally {
		fs.rmSync(workDir, { recursive: true, force: true });
	}
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}

module.exports = { MAX_PACKED_BYTES, SHIPPED_FILE_PATTERNS, checkTarballContents };
