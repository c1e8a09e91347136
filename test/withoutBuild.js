// @ts-check
/**
 * Runs each unit spec as on a fresh clone, before any `npm run build`, whether or not this
 * checkout has a dist/: every fs call whose path is in dist/ throws, naming the call. So a spec, or
 * a module it loads, that reads the build fails on every run instead of only on a clone without
 * one. Loading the build is caught by test/resolver.js, which answers a require of dist/ with the
 * TypeScript source, or fails when there is none.
 */
const fs = require('node:fs');
const path = require('node:path');
const { fileURLToPath } = require('node:url');

const BUILD_DIR = path.resolve(__dirname, '..', 'dist');
const GUARDED = Symbol.for('airudder.unitSpecsWithoutBuild');

/** @param {unknown} file the first argument of an fs call, or a file descriptor */
function isInBuild(file) {
	if (typeof file !== 'string' && !(file instanceof URL) && !Buffer.isBuffer(file)) return false;
	const resolved = path.resolve(file instanceof URL ? fileURLToPath(file) : String(file));
	return resolved === BUILD_DIR || resolved.startsWith(`${BUILD_DIR}${path.sep}`);
}

/**
 * @param {Record<string | symbol, any>} api `fs` or `fs.promises`; its classes (`Dirent`, `Stats`…) are left alone
 * @param {(error: Error) => unknown} fail how a call of `api` fails: a throw, or a rejected promise
 */
function guard(api, fail) {
	for (const name of Object.keys(api).filter((key) => /^[a-z]/.test(key) && typeof api[key] === 'function')) {
		const original = api[name];
		api[name] = function (/** @type {unknown[]} */ ...args) {
			if (!isInBuild(args[0])) return original.apply(this, args);
			return fail(new Error(`${name}(${String(args[0])}): the unit specs run without a build, so nothing may read dist/; load the TypeScript source instead`));
		};
	}
}

// Each spec file runs this again in the same worker, whose fs is shared: guard it once.
if (!(/** @type {any} */ (fs)[GUARDED])) {
	guard(fs, (error) => {
		throw error;
	});
	guard(fs.promises, (error) => Promise.reject(error));
	Object.defineProperty(fs, GUARDED, { value: true });
}
