// @ts-check
/**
 * TypeScript names a `.cts` module by its output (`./helpers/webhook.cjs`); jest must load the
 * source instead. Only requests from test code are redirected: packages ship real `.cjs` files.
 */
const fs = require('node:fs');
const path = require('node:path');

/** @type {(request: string, options: { basedir: string, defaultResolver: (request: string, options: object) => string }) => string} */
module.exports = (request, options) => {
	if (request.startsWith('.') && request.endsWith('.cjs') && !options.basedir.includes(`${path.sep}node_modules${path.sep}`)) {
		const source = path.resolve(options.basedir, `${request.slice(0, -'.cjs'.length)}.cts`);
		if (fs.existsSync(source)) return source;
	}
	return options.defaultResolver(request, options);
};
