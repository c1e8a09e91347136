/**
 * The ready-made workflows in examples/ are what users import first, so they must keep matching
 * the triggers: node types, parameters, the output they hang off, and every field they read.
 */
import { readdirSync, readFileSync } from 'fs';
import { NodeHelpers, type INodeParameters, type INodeProperties } from 'n8n-workflow';
import { join } from 'path';

import { INVALID_ITEM_FIELDS } from '../nodes/Airudder/invalidItem';
import { outputSchemaOf } from '../nodes/Airudder/outputSchema';
import { AirudderAction } from '../nodes/AirudderAction/AirudderAction.node';

import { packageJson, ROOT, triggersUnderTest } from './helpers/triggers.cjs';

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
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
}

const EXAMPLES = join(ROOT, 'examples');
const examples = readdirSync(EXAMPLES)
	.filter((file) => file.endsWith('.json'))
	.map((file) => ({ file, workflow: JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Example }));
const triggers = new Map(triggersUnderTest().map((trigger) => [`${packageJson.name}.${trigger.definition.nodeName}`, trigger]));
const actionNode = new AirudderAction();
const ACTION_NODE_TYPE = `${packageJson.name}.${actionNode.description.name}`;
/** The fields of an Invalid item, which alerts may quote. */
const INVALID_FIELD_NAMES = INVALID_ITEM_FIELDS.map(({ name }) => name);

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
		'call-results-to-google-sheets.json',
		'invalid-callbacks-to-slack-and-email.json',
		'promise-to-pay-to-hubspot-task.json',
		'replay-invalid-callbacks.json',
	]);
});

it('reads item fields in the examples that map them by hand', () => {
	const mappingByHand = examples.filter(({ workflow }) => readers(workflow).length > 0).map(({ file }) => file);
	expect(mappingByHand.sort()).toEqual(['invalid-callbacks-to-slack-and-email.json', 'promise-to-pay-to-hubspot-task.json']);
});

describe.each(examples)('examples/$file', ({ workflow }) => {
	const triggerNodes = workflow.nodes.filter((node) => triggers.has(node.type));

	it('is an importable workflow with one AIRudder trigger and no stored credentials', () => {
		expect(workflow.name).toMatch(/^AIRudder /);
		expect(triggerNodes).toHaveLength(1);
		expect(workflow.nodes.every((node) => node.credentials === undefined)).toBe(true);
		const names = new Set(workflow.nodes.map((node) => node.name));
		expect(names.size).toBe(workflow.nodes.length);
		for (const [source, { main }] of Object.entries(workflow.connections)) {
			expect(names).toContain(source);
			for (const target of main.flat()) expect(names).toContain(target.node);
		}
	});

	it('sets only parameters the trigger has', () => {
		const [node] = triggerNodes;
		const { description } = triggers.get(node.type)!.node;
		expect(node.typeVersion).toBe(description.version);
		const properties = namesIn(description.properties);
		for (const [name, value] of Object.entries(node.parameters)) {
			expect(properties).toContain(name);
			const collection = description.properties.find((property) => property.name === name);
			if (collection?.type === 'collection') {
				const options = namesIn(collection.options as INodeProperties[]);
				for (const option of Object.keys(value as object)) expect(options).toContain(option);
			}
		}
	});

	it('sets only parameters the AIRudder node shows for the chosen operation', () => {
		for (const node of workflow.nodes.filter((candidate) => candidate.type === ACTION_NODE_TYPE)) {
			const shown = NodeHelpers.getNodeParameters(actionNode.description.properties, node.parameters as INodeParameters, true, false, null, actionNode.description);
			expect(Object.keys(node.parameters).filter((name) => !(name in (shown ?? {})))).toEqual([]);
		}
	});

	it('reads fields only in nodes the trigger feeds, and only fields the output feeding them carries', () => {
		const [trigger] = triggerNodes;
		const { definition } = triggers.get(trigger.type)!;
		const [main = [], invalid = []] = workflow.connections[trigger.name].main;
		const fedBy = (output: Array<{ node: string }>, node: ExampleNode) => output.some((target) => target.node === node.name);
		const carried = (node: ExampleNode) => [
			...(fedBy(main, node) ? Object.keys(outputSchemaOf(definition).properties ?? {}) : []),
			...(fedBy(invalid, node) ? INVALID_FIELD_NAMES : []),
		];
		for (const node of readers(workflow)) {
			const unknown = fieldsRead(node).filter((field) => !carried(node).includes(field));
			expect({ node: node.name, unknown }).toEqual({ node: node.name, unknown: [] });
		}
		expect(main.length + invalid.length).toBeGreaterThan(0);
	});
});
