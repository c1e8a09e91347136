// @ts-check
/**
 * A local n8n with this package installed from its packed tarball, the demo credential and one
 * published demo workflow per trigger, each writing to its own Data table: what `npm start` runs
 * and the end-to-end tests drive.
 */
const fs = require('node:fs');
const path = require('node:path');

const { ensureDataTable, personalProjectId, tableColumnsOf } = require('./dataTables');
const { demoCredentials, demoTableName, demoWorkflows, exampleWorkflows, productionUrl } = require('./demo');
const { N8nInstance } = require('./n8nInstance');
const { runQuiet } = require('./processes');
const { REPO_ROOT } = require('./repoRoot');
const { cacheRoot, compareVersions, provisionN8n } = require('./runtime');

/**
 * Packs the built package (`npm run build` first) as npm would publish it, or another package folder.
 * @param {string} [folder]
 * @returns {Promise<string>} the tarball's path
 */
async function packPackage(folder = REPO_ROOT) {
	const destination = path.join(cacheRoot(), 'packages');
	fs.mkdirSync(destination, { recursive: true });
	const output = String(await runQuiet('npm', ['pack', '--json', '--pack-destination', destination], { cwd: folder }));
	const [{ filename }] = JSON.parse(output.slice(output.indexOf('[')));
	return path.join(destination, filename);
}

/**
 * @typedef {object} DemoWorkflow
 * @property {import('./registeredTriggers').RegisteredTrigger} trigger
 * @property {ReturnType<typeof demoWorkflows>[number]['workflow']} workflow
 * @property {string} url the production webhook URL, without the token
 * @property {string} tableId the Data table the workflow upserts its items into
 */

/**
 * @param {{ version: string, userFolder: string, port: number, tarball: string, env?: NodeJS.ProcessEnv, log?: (line: string) => void, extra?: { credentials: object[], workflows: Array<{ id: string }>, drafts?: Array<{ id: string }>, tarballs?: string[] } }} options
 *   `extra` adds other community packages (the benchmark's ceiling), credentials and published workflows (the benchmark's) beside the demo ones, and
 *   drafts, imported unpublished (a Manual Trigger cannot be published; a schedule runs only when asked).
 * @returns {Promise<{ instance: N8nInstance, projectId: string, workflows: DemoWorkflow[], examples: ReturnType<typeof exampleWorkflows>[number]['workflow'][] }>}
 */
async function launchLocalN8n(options) {
	const log = options.log ?? ((line) => console.log(line));
	const runtime = await provisionN8n(options.version, { log });
	const instance = new N8nInstance({ runtime, userFolder: options.userFolder, port: options.port, env: options.env });
	instance.stopLeftover();

	for (const tarball of [options.tarball, ...(options.extra?.tarballs ?? [])]) {
		log(`Installing ${path.basename(tarball)} into n8n ${runtime.version}'s community nodes…`);
		await instance.installPackage(tarball);
	}

	log('Importing the demo credential and workflows…');
	const importDir = path.join(instance.userFolder, 'import');
	const workflowDir = path.join(importDir, 'workflows');
	fs.rmSync(importDir, { recursive: true, force: true });
	fs.mkdirSync(workflowDir, { recursive: true });
	const credentialsFile = path.join(importDir, 'credentials.json');
	fs.writeFileSync(credentialsFile, JSON.stringify([...demoCredentials(), ...(options.extra?.credentials ?? [])], null, 2));
	for (const { trigger, workflow } of demoWorkflows(instance.filesFolder)) {
		fs.writeFileSync(path.join(workflowDir, `${trigger.definition.webhookPath}.json`), JSON.stringify(workflow, null, 2));
	}
	// The ready-made workflows are imported unpublished: they need the user's Google, HubSpot or Slack account.
	const examples = exampleWorkflows().map(({ workflow }) => workflow);
	for (const workflow of [...examples, ...(options.extra?.workflows ?? []), ...(options.extra?.drafts ?? [])]) {
		fs.writeFileSync(path.join(workflowDir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
	}
	await instance.cli(['import:credentials', `--input=${credentialsFile}`]);
	await instance.cli(['import:workflow', '--separate', `--input=${workflowDir}`]);

	log(`Starting n8n ${runtime.version} on ${instance.baseUrl} (log: ${instance.logFile})…`);
	await instance.start();
	try {
		const { projectId, workflows } = await connectDemoTables(instance);
		for (const { id } of [...workflows.map(({ workflow }) => workflow), ...(options.extra?.workflows ?? [])]) {
			await publish(instance, id);
		}
		return { instance, projectId, workflows, examples };
	} catch (error) {
		await instance.stop();
		throw error;
	}
}

/**
 * Makes each demo workflow's Data table, which only the running n8n can (tables get ids n8n
 * chooses, and n8n 1.x finds a table by id only), and saves the workflow pointing at it.
 * @param {N8nInstance} instance
 * @returns {Promise<{ projectId: string, workflows: DemoWorkflow[] }>}
 */
async function connectDemoTables(instance) {
	const projectId = await personalProjectId(instance);
	/** @type {Record<string, string>} */
	const tableIds = {};
	for (const { trigger } of demoWorkflows(instance.filesFolder)) {
		const { definition } = trigger;
		const columns = tableColumnsOf(definition).map(({ tableColumn }) => tableColumn);
		tableIds[definition.webhookPath] = await ensureDataTable(instance, projectId, demoTableName(definition), columns);
	}
	const workflows = [];
	for (const { trigger, workflow } of demoWorkflows(instance.filesFolder, tableIds)) {
		const { versionId } = await instance.rest('GET', `/workflows/${workflow.id}`);
		await instance.rest('PATCH', `/workflows/${workflow.id}`, { versionId, nodes: workflow.nodes, connections: workflow.connections });
		const { webhookPath } = trigger.definition;
		workflows.push({ trigger, workflow, url: productionUrl(instance.baseUrl, trigger.definition), tableId: tableIds[webhookPath] });
	}
	return { projectId, workflows };
}

/** Older n8n has no Publish button: its editor's Active switch saves the workflow with `active: true`. */
const PUBLISH_ENDPOINT_SINCE = '1.122.4';

/**
 * Publishes through the REST API, as the editor's Publish button does, so n8n runs the trigger's
 * activation checks and reports a misconfiguration here.
 * @param {N8nInstance} instance
 * @param {string} workflowId
 */
async function publish(instance, workflowId) {
	const { versionId } = await instance.rest('GET', `/workflows/${workflowId}`);
	if (compareVersions(instance.runtime.version, PUBLISH_ENDPOINT_SINCE) >= 0) {
		await instance.rest('POST', `/workflows/${workflowId}/activate`, { versionId });
	} else {
		await instance.rest('PATCH', `/workflows/${workflowId}`, { versionId, active: true });
	}
}

/**
 * Unpublishes, as the editor's Unpublish (older n8n: its Active switch) does.
 * @param {N8nInstance} instance
 * @param {string} workflowId
 */
async function unpublish(instance, workflowId) {
	if (compareVersions(instance.runtime.version, PUBLISH_ENDPOINT_SINCE) >= 0) {
		await instance.rest('POST', `/workflows/${workflowId}/deactivate`);
	} else {
		const { versionId } = await instance.rest('GET', `/workflows/${workflowId}`);
		await instance.rest('PATCH', `/workflows/${workflowId}`, { versionId, active: false });
	}
}

module.exports = { packPackage, launchLocalN8n, publish, unpublish };
