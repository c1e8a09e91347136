/**
 * Generated suites: fast-check properties over thousands of generated callbacks per run (the
 * attack and fuzz suites), a minute or more of work. `npm run test:unit` stays quick without
 * them; `npm test`, which CI runs, runs both.
 * @type {import('jest').Config}
 */
module.exports = {
	...require('./jest.config'),
	testMatch: ['**/*.generated.cts'],
};
