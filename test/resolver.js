// @ts-check
/**
 * Where jest loads the project's own code from:
 * - TypeScript names a `.cts` module by its output (`./helpers/webhook.cjs`); jest must load the
 *   source instead. Only requests from test code are redirected: packages ship real `.cjs` files.
 * - The scripts load the package's compiled code from dist/ (scripts/lib/dist.js), as n8n does;
 *   under jest they get its TypeScript source, so the tests exercise the source and need no build.
 *   A file of dist/ without a source is not found, even in a checkout that has been built: the
 *   specs must pass on a fresh clone (test/withoutBuild.js keeps them from reading dist/ too).
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BUILD_DIR = path.join(ROOT, 'dist');

/** @type {(request: string, options: { basedir: string, defaultResolver: (request: string, options: object) => string }) => string} */
module.exports = (request, options) => {
	if (request.startsWith('.') && request.endsWith('.cjs') && !options.basedir.includes(`${path.sep}node_modules${path.sep}`)) {
		const source = path.resolve(options.basedir, `${request.slice(0, -'.cjs'.length)}.cts`);
		if (fs.existsSync(source)) return source;
	}
	const target = path.resolve(options.basedir, request);
	if ((request.startsWith('.') || path.isAbsolute(request)) && target.startsWith(`${BUILD_DIR}${path.sep}`)) {
		const source = `${path.join(ROOT, path.relative(BUILD_DIR, target)).replace(/\.js$/, '')}.ts`;
		if (fs.existsSync(source)) return source;
		throw new Error(`${target} has no TypeScript source: the unit specs run without a build`);
	}
	return options.defaultResolver(request, options);
};
