// @ts-check
/**
 * An installed n8n's own expression code (test/helpers/dragExpressions.cts says what the editor
 * writes on drag): the names its n8n-workflow refuses, the expression engines it runs, and what an
 * expression gives, evaluated by that n8n-workflow as n8n resolves a node parameter set to
 * `={{ … }}`. The legacy engine runs in this process. n8n's isolate engine ("vm", the default of
 * 1.123.x and 2.41.x as their @n8n/config's ExpressionEngineConfig says) needs isolated-vm, built
 * for the Node that n8n runs on, so it runs in a child process on that Node: this file, run as a
 * script, reads `{ workflowModule, engineConfig, items, cases }` as JSON on stdin and writes the
 * evaluations as JSON on stdout.
 *
 * A JavaScript file so that the runtime's module, which lies outside the project, can be required
 * by its path.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const MAPPED = 'Google Sheets';

/**
 * @typedef {{ nodeName: string, distanceFromActive: number }} DragSource
 * @typedef {{ item: number, expression: string, source: DragSource }} ExpressionCase
 * @typedef {{ ok: true, value: unknown } | { ok: false, error: string }} Evaluation
 * @typedef {{ engine: string } & Record<string, unknown>} EngineConfig
 */

/**
 * The names the runtime's n8n-workflow lists in `unsafeObjectProperties` (dist/cjs/utils.js), which
 * its expression sandbox refuses as a property name.
 * @param {string} workflowModule
 * @returns {string[]}
 */
function refusedNamesOf(workflowModule) {
	const source = fs.readFileSync(path.join(workflowModule, 'dist', 'cjs', 'utils.js'), 'utf8');
	const list = /unsafeObjectProperties = new Set\(\[([^\]]*)\]\)/.exec(source);
	if (!list) throw new Error(`${workflowModule} has no unsafeObjectProperties list in dist/cjs/utils.js: read how this n8n-workflow refuses names, and update refusedNamesOf.`);
	return [...list[1].matchAll(/'([^']*)'/g)].map((match) => match[1]);
}

/**
 * Whether the runtime's n8n-workflow takes the name as a property (its isSafeObjectProperty).
 * @param {string} workflowModule
 * @param {string} name
 */
function isSafeObjectProperty(workflowModule, name) {
	return /** @type {{ isSafeObjectProperty: (name: string) => boolean }} */ (require(workflowModule)).isSafeObjectProperty(name);
}

/**
 * The expression engine n8n starts with when N8N_EXPRESSION_ENGINE is not set, with its settings,
 * as the runtime's own @n8n/config defines them; undefined for an n8n that has only the legacy one.
 * @param {string} runtimeDir
 * @returns {EngineConfig | undefined}
 */
function defaultEngineOf(runtimeDir) {
	const configModule = require.resolve('@n8n/config', { paths: [path.join(runtimeDir, 'node_modules', 'n8n')] });
	const { ExpressionEngineConfig } = require(configModule);
	return ExpressionEngineConfig ? { ...new ExpressionEngineConfig() } : undefined;
}

/**
 * A workflow source → Google Sheets for each source, with that n8n-workflow.
 * @param {any} n8nWorkflow the required module
 * @param {DragSource[]} sources
 */
function mappingWorkflows(n8nWorkflow, sources) {
	/** @type {Map<string, any>} */
	const workflows = new Map();
	for (const source of sources) {
		if (workflows.has(source.nodeName)) continue;
		const nodes = [
			{ id: 'source', name: source.nodeName, type: 'n8n-nodes-airudder.test', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'mapped', name: MAPPED, type: 'n8n-nodes-base.test', typeVersion: 1, position: [200, 0], parameters: {} },
		];
		const connections = { [source.nodeName]: { main: [[{ node: MAPPED, type: 'main', index: 0 }]] } };
		// The Workflow constructor skips nodes of unknown types, as n8n's expression resolution does not need them.
		const nodeTypes = { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) };
		workflows.set(source.nodeName, new n8nWorkflow.Workflow({ id: 'drag', name: 'drag', nodes, connections, active: false, nodeTypes, settings: {} }));
	}
	return workflows;
}

/**
 * Each case's expression resolved while the node after its source runs, the item as the source's
 * output and the node's input: `workflow.expression.getParameterValue` for that run.
 * @param {Map<string, any>} workflows
 * @param {unknown[]} items
 * @param {ExpressionCase[]} cases
 * @returns {Evaluation[]}
 */
function evaluateCases(workflows, items, cases) {
	return cases.map(({ item, expression, source }) => {
		const workflow = workflows.get(source.nodeName);
		const input = [{ json: items[item], pairedItem: { item: 0 } }];
		const runExecutionData = {
			resultData: { runData: { [source.nodeName]: [{ startTime: 0, executionTime: 0, executionIndex: 0, source: [], data: { main: [input] } }] } },
		};
		const executeData = { node: workflow.nodes[MAPPED], data: { main: [input] }, source: { main: [{ previousNode: source.nodeName }] } };
		try {
			const value = workflow.expression.getParameterValue(`=${expression}`, runExecutionData, 0, 0, MAPPED, input, 'manual', {}, executeData);
			return { ok: true, value };
		} catch (error) {
			return { ok: false, error: error instanceof Error ? error.message : String(error) };
		}
	});
}

/** @type {Map<string, Map<string, any>>} */
const inProcess = new Map();

/**
 * The cases evaluated with the runtime's legacy engine, in this process.
 * @param {string} workflowModule
 * @param {unknown[]} items as n8n stores them (JSON)
 * @param {ExpressionCase[]} cases
 */
function evaluateWithLegacyEngine(workflowModule, items, cases) {
	const workflows = inProcess.get(workflowModule) ?? new Map();
	inProcess.set(workflowModule, workflows);
	for (const [name, workflow] of mappingWorkflows(require(workflowModule), cases.map(({ source }) => source))) {
		if (!workflows.has(name)) workflows.set(name, workflow);
	}
	return evaluateCases(workflows, items, cases);
}

/**
 * The cases evaluated with the engine of `engineConfig`, started as n8n starts it
 * (Expression.initExpressionEngine), in a child process on the runtime's Node.
 * @param {{ nodeBin: string, workflowModule: string }} runtime
 * @param {EngineConfig} engineConfig
 * @param {unknown[]} items as n8n stores them (JSON)
 * @param {ExpressionCase[]} cases
 * @returns {Evaluation[]}
 */
function evaluateWithEngine({ nodeBin, workflowModule }, engineConfig, items, cases) {
	const child = spawnSync(nodeBin, [__filename], {
		input: JSON.stringify({ workflowModule, engineConfig, items, cases }),
		maxBuffer: 1024 * 1024 * 1024,
		timeout: 300_000,
		encoding: 'utf8',
	});
	if (child.status !== 0) throw new Error(`Evaluating with the ${engineConfig.engine} engine failed (${child.error?.message ?? `exit ${child.status}`}): ${child.stderr}`);
	return JSON.parse(child.stdout);
}

async function main() {
	/** @type {{ workflowModule: string, engineConfig: EngineConfig, items: unknown[], cases: ExpressionCase[] }} */
	const { workflowModule, engineConfig, items, cases } = JSON.parse(fs.readFileSync(0, 'utf8'));
	const n8nWorkflow = require(workflowModule);
	await n8nWorkflow.Expression.initExpressionEngine(engineConfig);
	if (n8nWorkflow.Expression.getActiveImplementation() !== engineConfig.engine) {
		throw new Error(`n8n-workflow runs ${n8nWorkflow.Expression.getActiveImplementation()}, not the ${engineConfig.engine} engine asked for.`);
	}
	const workflows = mappingWorkflows(n8nWorkflow, cases.map(({ source }) => source));
	for (const workflow of workflows.values()) await workflow.expression.acquireIsolate();
	const evaluations = evaluateCases(workflows, items, cases);
	for (const workflow of workflows.values()) await workflow.expression.releaseIsolate();
	await n8nWorkflow.Expression.disposeExpressionEngine();
	process.stdout.write(JSON.stringify(evaluations));
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exitCode = 1;
	});
}

module.exports = { refusedNamesOf, isSafeObjectProperty, defaultEngineOf, evaluateWithLegacyEngine, evaluateWithEngine };
