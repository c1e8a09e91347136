/**
 * End-to-end suite: real n8n processes, started and stopped by the tests themselves. Run through
 * `npm run test:e2e`, which builds the package and installs the pinned n8n versions first.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.e2e.ts'],
	testTimeout: 120_000,
	maxWorkers: 1,
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{ tsconfig: { strict: true, target: 'es2022', esModuleInterop: true, resolveJsonModule: true, allowJs: true, types: ['node', 'jest'] } },
		],
	},
};
