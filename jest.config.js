/**
 * Unit specs. Test code is `.cts` (TypeScript, CommonJS) so that `n8n-node lint`, whose default
 * config applies n8n's community-node rules to every `**\/*.ts`, checks only the shipped code:
 * tests need Node built-ins, timers and fixture secrets that those rules forbid in a node.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.cts'],
	moduleFileExtensions: ['js', 'cjs', 'ts', 'cts', 'json', 'node'],
	resolver: '<rootDir>/test/resolver.js',
	setupFiles: ['<rootDir>/test/withoutBuild.js'],
	transform: { '^.+\\.c?ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
};
