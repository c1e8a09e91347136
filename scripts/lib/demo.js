// @ts-check
/**
 * The demo credential and one ready-made workflow per registered trigger, as n8n's CLI imports
 * them. Each workflow upserts every item into the trigger's n8n Data table on its delivery_key,
 * so a call AIRudder resends updates its row instead of adding one, and saves every invalid
 * callback as a JSON file, using only n8n's own nodes.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { DEMO_SECRETS } = require('./callbackRequest');
const { tableColumnsOf, upsertRowParameters } = require('./dataTables');
const { findTrigger, registeredTriggers } = require('./registeredTriggers');
const { REPO_ROOT } = require('./repoRoot');

const DEMO_CREDENTIAL = { id: 'AirudderDemoCred', name: 'AIRudder demo secrets (local only)' };
const DEMO_UPSERT_NODE = 'One Row per Call';

/**
 * Stable ids, so re-running npm start updates the same workflows and keeps their URLs.
 * @param {string} seed
 */
function stableId(seed) {
	return crypto.createHash('sha256').update(seed).digest('hex');
}

/** @param {string} seed a UUID-shaped webhook id */
function stableUuid(seed) {
	const hex = stableId(`webhook:${seed}`);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function demoCredentials() {
	return [{ ...DEMO_CREDENTIAL, type: 'airudderCallbackApi', data: { ...DEMO_SECRETS } }];
}

/**
 * The name of the trigger's demo table in n8n's Data tables tab.
 * @param {import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition} definition
 */
function demoTableName(definition) {
	return definition.displayName.replace(/ Trigger$/, '');
}

/**
 * The Data Table node's Upsert of every column the trigger's table has, matched on the item's
 * delivery_key.
 * @param {import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition} definition
 * @param {string} tableId
 */
function upsertOnDeliveryKey(definition, tableId) {
	const columns = tableColumnsOf(definition);
	return upsertRowParameters(
		{ __rl: true, mode: 'id', value: tableId },
		'={{ $json.delivery_key }}',
		Object.fromEntries(columns.map(({ column, tableColumn }) => [tableColumn, `={{ $json.${column} }}`])),
	);
}

/**
 * @param {import('./registeredTriggers').RegisteredTrigger} trigger
 * @param {string} filesFolder where the workflow writes its files; must be allowed by n8n
 * @param {string} tableId the trigger's demo table; empty until n8n has created it
 */
function demoWorkflow(trigger, filesFolder, tableId) {
	const { definition, nodeType } = trigger;
	const triggerName = definition.displayName;
	const fileIn = (/** @type {string} */ name) => `=${path.join(filesFolder, name)}`;
	/** @param {string} name @param {[number, number]} position @param {string} type @param {number} typeVersion @param {object} parameters */
	const node = (name, position, type, typeVersion, parameters) => ({
		id: stableUuid(`${definition.webhookPath}:${name}`),
		name,
		type,
		typeVersion,
		position,
		parameters,
	});
	return {
		id: `Airudder${stableId(definition.webhookPath).slice(0, 8)}`,
		name: `AIRudder demo: ${definition.vendorName.en} → Data table`,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			{
				...node(triggerName, [0, 0], nodeType, 1, {}),
				webhookId: stableUuid(definition.webhookPath),
				credentials: { airudderCallbackApi: DEMO_CREDENTIAL },
			},
			node(DEMO_UPSERT_NODE, [260, -100], 'n8n-nodes-base.dataTable', 1, upsertOnDeliveryKey(definition, tableId)),
			node('Invalid Callback as JSON', [260, 120], 'n8n-nodes-base.convertToFile', 1.1, {
				operation: 'toJson',
				options: { format: true },
			}),
			node('Save Invalid Callback', [520, 120], 'n8n-nodes-base.readWriteFile', 1, {
				operation: 'write',
				fileName: fileIn(`invalid-${definition.webhookPath}-{{ $execution.id }}.json`),
				options: {},
			}),
		],
		connections: {
			[triggerName]: {
				main: [
					[{ node: DEMO_UPSERT_NODE, type: 'main', index: 0 }],
					[{ node: 'Invalid Callback as JSON', type: 'main', index: 0 }],
				],
			},
			'Invalid Callback as JSON': { main: [[{ node: 'Save Invalid Callback', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * The URL to give AIRudder for the demo workflow of this callback type.
 * @param {string} baseUrl
 * @param {import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition} definition
 */
function productionUrl(baseUrl, definition) {
	return `${baseUrl}/webhook/${stableUuid(definition.webhookPath)}/${definition.webhookPath}`;
}

/**
 * The smallest workflow around a trigger: the trigger and one Set node, for load and benchmarks.
 * With `waitSeconds`, a Wait node holds each execution that long before the Set node;
 * `lastNode` takes the Set node's place (a node writing each item to a database, say).
 * @param {string} id
 * @param {object} trigger an n8n node
 * @param {{ waitSeconds?: number, lastNode?: { name: string } }} [options]
 */
function triggerThenSet(id, trigger, options = {}) {
	const triggerName = /** @type {{ name: string }} */ (trigger).name;
	const set = {
		id: `${id}-set`,
		name: 'Set',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [440, 0],
		parameters: {
			assignments: { assignments: [{ id: 'a1', name: 'received', value: 'yes', type: 'string' }] },
			options: {},
		},
	};
	const wait = options.waitSeconds && {
		id: `${id}-wait`,
		name: 'Wait',
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		position: [220, 0],
		parameters: { amount: options.waitSeconds, unit: 'seconds' },
	};
	const last = options.lastNode ? { ...options.lastNode, id: `${id}-last`, position: [440, 0] } : set;
	const chain = [triggerName, ...(wait ? ['Wait'] : []), last.name];
	return {
		id,
		name: `Benchmark ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [{ ...trigger, position: [0, 0] }, ...(wait ? [wait] : []), last],
		connections: Object.fromEntries(
			chain.slice(0, -1).map((name, index) => [name, { main: [[{ node: chain[index + 1], type: 'main', index: 0 }]] }]),
		),
	};
}

/**
 * A trigger → Set workflow on the demo credential, or on `options.credential`, the trigger set up
 * with `parameters`; `lastNode` builds, from the trigger's definition, the node that replaces Set.
 * @param {string} id workflow id, also the seed of its webhook id
 * @param {string} webhookPath which trigger
 * @param {object} [parameters]
 * @param {{ waitSeconds?: number, credential?: { id: string, name: string }, lastNode?: LastNode }} [options]
 */
function minimalTriggerWorkflow(id, webhookPath, parameters = {}, options = {}) {
	const { nodeType, definition } = findTrigger(webhookPath);
	const webhookId = stableUuid(`minimal:${id}`);
	const workflow = triggerThenSet(id, {
		id: `${id}-trigger`,
		name: definition.displayName,
		type: nodeType,
		typeVersion: 1,
		webhookId,
		parameters,
		credentials: { airudderCallbackApi: options.credential ?? DEMO_CREDENTIAL },
	}, { waitSeconds: options.waitSeconds, lastNode: options.lastNode?.(definition) });
	return { definition, workflow, path: `${webhookId}/${definition.webhookPath}` };
}

/** @typedef {(definition: import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition) => { name: string }} LastNode */

const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/**
 * The ready-made workflows in examples/, as n8n's CLI imports them: with a stable id, unpublished.
 * @returns {Array<{ file: string, workflow: { id: string, name: string, nodes: Array<{ name: string, type: string, typeVersion: number, parameters: Record<string, unknown> }>, connections: Record<string, { main: Array<Array<{ node: string }>> }> } }>}
 */
function exampleWorkflows() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({
			file,
			workflow: { ...JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')), id: `Example${stableId(file).slice(0, 9)}`, active: false },
		}));
}

/**
 * @param {string} filesFolder
 * @param {Record<string, string>} [tableIds] each trigger's demo table by webhook path; none before n8n has made them
 */
function demoWorkflows(filesFolder, tableIds = {}) {
	return registeredTriggers().map((trigger) => ({
		trigger,
		workflow: demoWorkflow(trigger, filesFolder, tableIds[trigger.definition.webhookPath] ?? ''),
	}));
}

module.exports = { DEMO_CREDENTIAL, demoCredentials, demoTableName, demoWorkflows, exampleWorkflows, minimalTriggerWorkflow, productionUrl, triggerThenSet };
