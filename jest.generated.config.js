/**
 * Generated suites: fast-check properties over thousands of generated callbacks per run (the
 * attack and fuzz suites), a minute or more of work. `npm run test:unit` stays quick without
 * them; `npm test`, which CI runs, runs both.
 * @type {import('jest').Config}
 */
module.exports = {
	...require('./jest.config'),
	testMatch: ['**/*.generated.cts'],
	// No generated spec bounds a duration: their work grows with the machine's load, so the
	// timeout only ends a hang instead of failing a slow run.
	testTimeout: 10 * 60 * 1000,
};
