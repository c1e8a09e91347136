/**
 * The ready-made workflows in examples/ are what users import first, so they must keep matching
 * the triggers: node types, parameters, the output they hang off, and every field they read.
 */
import { readdirSync, readFileSync } from 'fs';
import { NodeHelpers, type INodeParameters, type INodeProperties } from 'n8n-workflow';
import { join } from 'path';

import { AirudderAction } from '../nodes/AirudderAction/AirudderAction.node';
import { operations } from '../nodes/AirudderAction/actions/operations';
import type { CallbackDefinition } from '../nodes/Airudder/vocabulary/definition';

import { expectedColumnsOf, INVALID_ITEM_COLUMNS, packageJson, ROOT, triggersUnderTest } from './helpers/triggers.cjs';

interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: unknown;
}
interface Example {
	name: string;
	nodes: ExampleNode[];
	/** By connection type: `main`, or `ai_tool` from a node used as a tool. */
	connections: Record<string, Record<string, Array<Array<{ node: string; type: string; index: number }>>>>;
}

const EXAMPLES = join(ROOT, 'examples');
const examples = readdirSync(EXAMPLES)
	.filter((file) => file.endsWith('.json'))
	.map((file) => ({ file, workflow: JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Example }));
const triggers = new Map(triggersUnderTest().map((trigger) => [`${packageJson.name}.${trigger.definition.nodeName}`, trigger]));
const actionNode = new AirudderAction();
const ACTION_NODE_TYPE = `${packageJson.name}.${actionNode.description.name}`;
/** n8n offers the node to AI agents and MCP clients under its name with Tool appended. */
const ACTION_TOOL_NODE_TYPE = `${ACTION_NODE_TYPE}Tool`;
const toolDescription = { ...actionNode.description, name: `${actionNode.description.name}Tool` };
function namesIn(properties: INodeProperties[]): Set<string> {
	return new Set(properties.map((property) => property.name));
}

/** `$json.field` and `$json["field"]` references in a node's parameters. */
function fieldsRead(node: ExampleNode): string[] {
	const text = JSON.stringify(node.parameters);
	return [...text.matchAll(/\$json(?:\.([A-Za-z_][\w]*)|\[\\"([^\\]+)\\"\])/g)].map((match) => match[1] ?? match[2]);
}

const readers = (workflow: Example) => workflow.nodes.filter((node) => fieldsRead(node).length > 0);

it('there are the documented examples', () => {
	expect(examples.map(({ file }) => file).sort()).toEqual([
		'ai-agent-call-lookups.json',
		'backfill-yesterdays-calls.json',
		'call-results-to-google-sheets.json',
		'invalid-callbacks-to-slack-and-email.json',
		'mcp-call-lookups.json',
		'promise-to-pay-to-hubspot-task.json',
		'replay-invalid-callbacks.json',
	]);
});

it('reads item fields in the examples that map them by hand', () => {
	const mappingByHand = examples.filter(({ workflow }) => readers(workflow).length > 0).map(({ file }) => file);
	expect(mappingByHand.sort()).toEqual([
		'invalid-callbacks-to-slack-and-email.json',
		'promise-to-pay-to-hubspot-task.json',
	]);
});

const triggerNodesOf = (workflow: Example) => workflow.nodes.filter((node) => triggers.has(node.type));

/** n8n nodes that pass on the items they keep unchanged, so a node after them reads the same fields. */
const PASSING_ITEMS_ON = new Set(['n8n-nodes-base.removeDuplicates']);

/**
 * The examples' writes, each once per call however often AIRudder delivers it or a replay runs:
 * the sheets upsert on delivery_key, and the HubSpot task, which cannot be updated, comes after a
 * Remove Duplicates.
 */
const writesOncePerCall = [
	{ file: 'backfill-yesterdays-calls.json', node: 'Add or Update Row per Call', operation: 'appendOrUpdate', key: ['delivery_key'], before: undefined },
	{ file: 'call-results-to-google-sheets.json', node: 'Add or Update Row per Call', operation: 'appendOrUpdate', key: ['delivery_key'], before: undefined },
	{ file: 'replay-invalid-callbacks.json', node: 'Add or Update Row per Call', operation: 'appendOrUpdate', key: ['delivery_key'], before: undefined },
	{
		file: 'promise-to-pay-to-hubspot-task.json',
		node: 'Once per Call',
		operation: 'removeItemsSeenInPreviousExecutions',
		key: '={{ $json.delivery_key }}',
		before: 'Create Follow-Up Task',
	},
];

it.each(writesOncePerCall)('examples/$file writes each call once: $node, $operation on delivery_key', (expected) => {
	const { workflow } = examples.find((example) => example.file === expected.file)!;
	const node = workflow.nodes.find((candidate) => candidate.name === expected.node)!;
	const { operation, columns, dedupeValue } = node.parameters as { operation: string; columns?: { matchingColumns: string[] }; dedupeValue?: string };
	const next = workflow.connections[node.name]?.main[0]?.map((target) => target.node)[0];
	expect({ ...expected, operation, key: columns?.matchingColumns ?? dedupeValue, before: next }).toEqual(expected);
});

const actionNodesOf = (workflow: Example) => workflow.nodes.filter((node) => node.type === ACTION_NODE_TYPE || node.type === ACTION_TOOL_NODE_TYPE);

describe.each(examples.filter(({ workflow }) => actionNodesOf(workflow).length > 0))('the AIRudder node of examples/$file', ({ workflow }) => {
	it('sets only parameters the AIRudder node shows for the chosen operation', () => {
		for (const node of actionNodesOf(workflow)) {
			const description = node.type === ACTION_TOOL_NODE_TYPE ? toolDescription : actionNode.description;
			const shown = NodeHelpers.getNodeParameters(description.properties, node.parameters as INodeParameters, true, false, null, description);
			expect(Object.keys(node.parameters).filter((name) => !(name in (shown ?? {})))).toEqual([]);
		}
	});
});

const toolNodesOf = (workflow: Example) => workflow.nodes.filter((node) => node.type === ACTION_TOOL_NODE_TYPE);

/** Create and Add Contacts place real calls, so no example hands them to a model. */
const handingToolsToAModel = [
	{ file: 'ai-agent-call-lookups.json', toolUser: '@n8n/n8n-nodes-langchain.agent', tools: ['task/get', 'workflow/findCalls'] },
	{ file: 'mcp-call-lookups.json', toolUser: '@n8n/n8n-nodes-langchain.mcpTrigger', tools: ['task/get', 'workflow/findCalls'] },
];

it('hands the AIRudder node to a model as a tool in these examples only', () => {
	const withTools = examples.filter(({ workflow }) => toolNodesOf(workflow).length > 0).map(({ file }) => file);
	expect(withTools.sort()).toEqual(handingToolsToAModel.map(({ file }) => file));
});

it.each(handingToolsToAModel)('examples/$file gives its $toolUser only the lookups as tools: $tools', (expected) => {
	const { workflow } = examples.find((example) => example.file === expected.file)!;
	const tools = toolNodesOf(workflow);
	const toolUsers = tools.flatMap((node) => workflow.connections[node.name].ai_tool.flat().map((target) => workflow.nodes.find((candidate) => candidate.name === target.node)!.type));
	expect({
		file: expected.file,
		toolUser: [...new Set(toolUsers)].join(),
		tools: tools.map((node) => `${String(node.parameters.resource)}/${String(node.parameters.operation)}`).sort(),
	}).toEqual(expected);
});

describe.each(examples)('examples/$file', ({ workflow }) => {
	const triggerNodes = triggerNodesOf(workflow);
	const actionNodes = actionNodesOf(workflow);

	it('is an importable workflow with at most one AIRudder trigger, an AIRudder node or both, and no stored credentials', () => {
		expect(workflow.name).toMatch(/^AIRudder /);
		expect(triggerNodes.length).toBeLessThanOrEqual(1);
		expect(triggerNodes.length + actionNodes.length).toBeGreaterThan(0);
		expect(workflow.nodes.every((node) => node.credentials === undefined)).toBe(true);
		const names = new Set(workflow.nodes.map((node) => node.name));
		expect(names.size).toBe(workflow.nodes.length);
		for (const [source, byType] of Object.entries(workflow.connections)) {
			expect(names).toContain(source);
			for (const target of Object.values(byType).flat(2)) expect(names).toContain(target.node);
		}
	});





	it('reads fields only in nodes an AIRudder node feeds, and only fields the output feeding them carries', () => {
		const triggerDefinition = triggerNodes.map((node) => triggers.get(node.type)!.definition)[0];
		const columnsOf = (definition: CallbackDefinition | undefined) => (definition ? expectedColumnsOf(definition.webhookPath).columns : []);
		/** Per AIRudder node: the fields each of its outputs carries. */
		const outputsOf = (node: ExampleNode): string[][] => {
			if (triggers.has(node.type)) return [columnsOf(triggers.get(node.type)!.definition), INVALID_ITEM_COLUMNS];
			const operation = operations.find(({ resource, value }) => resource === node.parameters.resource && value === node.parameters.operation)!;
			// Decode gives the items of the trigger whose Invalid output it reads.
			return [columnsOf(operation.givesItemsOf ?? triggerDefinition), operation.readsInputItem ? INVALID_ITEM_COLUMNS : []];
		};
		const passingOn = workflow.nodes.filter((node) => PASSING_ITEMS_ON.has(node.type));
		const feeds = (source: ExampleNode, output: number, reader: ExampleNode) =>
			(workflow.connections[source.name]?.main[output] ?? []).some((target) => target.node === reader.name);
		const carried = (reader: ExampleNode): string[] => [
			...[...triggerNodes, ...actionNodes].flatMap((source) =>
				(workflow.connections[source.name]?.main ?? []).flatMap((_targets, output) => (feeds(source, output, reader) ? outputsOf(source)[output] : [])),
			),
			...passingOn.filter((node) => feeds(node, 0, reader)).flatMap(carried),
		];
		for (const node of readers(workflow)) {
			const unknown = fieldsRead(node).filter((field) => !carried(node).includes(field));
			expect({ node: node.name, unknown }).toEqual({ node: node.name, unknown: [] });
		}
		for (const source of [...triggerNodes, ...actionNodes]) expect(Object.values(workflow.connections[source.name] ?? {}).flat(2).length).toBeGreaterThan(0);
	});
});
