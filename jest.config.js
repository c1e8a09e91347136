/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { strict: true, target: 'es2022', esModuleInterop: true, resolveJsonModule: true, allowJs: true, types: ['node', 'jest'] } }] },
};
