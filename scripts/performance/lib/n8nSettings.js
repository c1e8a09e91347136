// @ts-check
/**
 * The n8n settings that decide how many AIRudder callbacks one n8n absorbs on its own, as
 * `npm run capacity` measures them, and the production setup docs/operations.md recommends from
 * those measurements, which `npm run test:scale` runs; and the trigger's Ignore Repeated
 * Deliveries, which the tools measure beside the trigger's defaults.
 */

/**
 * @typedef {object} N8nSetting
 * @property {string} name
 * @property {'regular' | 'queue'} mode regular: one `n8n start` on SQLite; queue: the topology of queueMode.js
 * @property {NodeJS.ProcessEnv} env on top of n8n's defaults
 * @property {string} summary what differs from n8n's defaults, for the report
 */

/** The engine n8n 2.41 uses when nothing is set, stated so that a shell's own setting cannot leak in. */
const DEFAULT_ENGINE = { N8N_EXPRESSION_ENGINE: 'vm' };

/**
 * Expressions keep running in n8n's isolated engine, but a request only builds an isolate when it
 * evaluates one, and execution data stays saved: nothing a user relies on is given up.
 */
const RECOMMENDED_SETTINGS = Object.freeze({ ...DEFAULT_ENGINE, N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' });

/**
 * A setting that differs from n8n's defaults in one variable.
 * @param {string} name
 * @param {string} variable
 * @param {string} value
 * @returns {N8nSetting}
 */
const oneVariable = (name, variable, value) => ({ name, mode: 'regular', env: { ...DEFAULT_ENGINE, [variable]: value }, summary: `${variable}=${value}` });

/** @type {N8nSetting[]} */
const N8N_SETTINGS = [
	{ name: 'default', mode: 'regular', env: DEFAULT_ENGINE, summary: "n8n's defaults (vm engine, every execution saved, SQLite)" },
	oneVariable('pool-size-4', 'N8N_EXPRESSION_ENGINE_POOL_SIZE', '4'),
	oneVariable('compile-cache', 'N8N_EXPRESSION_ENGINE_COMPILE_CACHE', 'true'),
	{ name: 'lazy-acquire', mode: 'regular', env: RECOMMENDED_SETTINGS, summary: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true' },
	oneVariable('observability-off', 'N8N_EXPRESSION_ENGINE_OBSERVABILITY_ENABLED', 'false'),
	oneVariable('memory-limit-32', 'N8N_EXPRESSION_ENGINE_MEMORY_LIMIT', '32'),
	oneVariable('timeout-1000', 'N8N_EXPRESSION_ENGINE_TIMEOUT', '1000'),
	oneVariable('idle-timeout-60', 'N8N_EXPRESSION_ENGINE_IDLE_TIMEOUT', '60'),
	oneVariable('code-cache-4096', 'N8N_EXPRESSION_ENGINE_MAX_CODE_CACHE_SIZE', '4096'),
	oneVariable('no-webhook-isolate-skip', 'N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP', 'false'),
	{ name: 'legacy', mode: 'regular', env: { N8N_EXPRESSION_ENGINE: 'legacy' }, summary: 'N8N_EXPRESSION_ENGINE=legacy' },
	oneVariable('save-none', 'EXECUTIONS_DATA_SAVE_ON_SUCCESS', 'none'),
	{
		name: 'lazy-acquire-save-none',
		mode: 'regular',
		env: { ...RECOMMENDED_SETTINGS, EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none' },
		summary: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, EXECUTIONS_DATA_SAVE_ON_SUCCESS=none',
	},
	{ name: 'queue', mode: 'queue', env: DEFAULT_ENGINE, summary: 'queue mode, vm engine (1 webhook processor, 2 workers, Redis, PostgreSQL)' },
	{ name: 'queue-lazy-acquire', mode: 'queue', env: RECOMMENDED_SETTINGS, summary: 'queue mode, N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true' },
];

/**
 * The trigger's Ignore Repeated Deliveries on, for steps that cannot update a row; off by default,
 * on the measurements of docs/operations.md ("The default, measured").
 */
const IGNORE_REPEATED_DELIVERIES = Object.freeze({ additionalOptions: { ignoreRepeatedDeliveries: true } });

module.exports = { IGNORE_REPEATED_DELIVERIES, N8N_SETTINGS, RECOMMENDED_SETTINGS };
