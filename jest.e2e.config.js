/**
 * End-to-end suite: real n8n processes, started and stopped by the tests themselves. Run through
 * `npm run test:e2e`, which builds the package and installs the pinned n8n versions first.
 * @type {import('jest').Config}
 */
module.exports = {
	...require('./jest.config'),
	testMatch: ['**/*.e2e.cts'],
	// Unlike the unit specs, this suite installs and checks the build, so it may read dist/.
	setupFiles: [],
	testTimeout: 120_000,
	maxWorkers: 1,
};
