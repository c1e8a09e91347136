// @ts-check
/**
 * The package's shared code (nodes/Airudder/) as `npm run build` compiles it into dist/: what the
 * sample sender, the demo and the benchmarks run, and what n8n loads. Each module is loaded when
 * first used, so requiring a script module needs no build. Under jest, test/resolver.js answers
 * these paths with the TypeScript source, so the unit tests exercise the source without a build.
 */
const fs = require('node:fs');
const path = require('node:path');

const { REPO_ROOT } = require('./repoRoot');

const SHARED_DIR = path.join(REPO_ROOT, 'dist', 'nodes', 'Airudder');

/**
 * The compiled modules the scripts load, by their path inside the core.
 * @typedef {{
 *   crypto: typeof import('../../nodes/Airudder/crypto'),
 *   'output/items': typeof import('../../nodes/Airudder/output/items'),
 *   'output/outputSchema': typeof import('../../nodes/Airudder/output/outputSchema'),
 *   'receive/callbackCredential': typeof import('../../nodes/Airudder/receive/callbackCredential'),
 *   'receive/ipAllowList': typeof import('../../nodes/Airudder/receive/ipAllowList'),
 *   'receive/pipeline': typeof import('../../nodes/Airudder/receive/pipeline'),
 *   'receive/signature': typeof import('../../nodes/Airudder/receive/signature'),
 * }} SharedModules
 */

/**
 * @template {keyof SharedModules} Name
 * @param {Name} name
 * @returns {SharedModules[Name]}
 */
function fromDist(name) {
	const file = path.join(SHARED_DIR, name);
	try {
		return require(file);
	} catch (error) {
		if (/** @type {NodeJS.ErrnoException} */ (error).code === 'MODULE_NOT_FOUND' && !fs.existsSync(`${file}.js`)) {
			throw new Error(`${file}.js is missing; run npm run build first`);
		}
		throw error;
	}
}

module.exports = { fromDist };
