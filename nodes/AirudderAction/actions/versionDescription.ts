import { NodeConnectionTypes, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';

import {
	ACTION_RESOURCES,
	offeredToAgents,
	resourcesOf,
	resourcesWithUnreadableOutput,
	type ActionOperation,
	type ActionResource,
} from './operation';

/**
 * The AIRudder node, assembled from its operations. What n8n's community-node rules must read
 * literally in the node file (its name, icon, subtitle, usableAsTool, credentials) is written there.
 */
export type ActionNodeDescription = Omit<
	INodeTypeDescription,
	'displayName' | 'name' | 'usableAsTool' | 'icon' | 'subtitle' | 'credentials'
>;

const byName = <T extends { name: string }>(entries: T[]): T[] => [...entries].sort((a, b) => a.name.localeCompare(b.name));

function resourceProperty(resources: ActionResource[], tool: boolean | undefined): INodeProperties {
	const [firstResource] = resources;
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: byName(resources.map((value) => ({ ...ACTION_RESOURCES[value], value }))),
		default: firstResource,
		...(tool === undefined ? {} : { displayOptions: { show: { '@tool': [tool] } } }),
	};
}

function operationProperty(resource: ActionResource, operations: ActionOperation[], tool: boolean | undefined): INodeProperties {
	const [{ value: firstOperation }] = operations;
	const options = byName(
		operations.map(({ name, value, description, action }) => ({
			name,
			value,
			description,
			action,
		})),
	);
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: {
			show: {
				resource: [resource],
				...(tool === undefined ? {} : { '@tool': [tool] }),
			},
		},
		options,
		default: firstOperation,
	};
}

/**
 * The resource and operation menus. Where some operations are kept from AI agents, the menus come
 * twice: the full one for workflows, and one for the node used as a tool.
 */
function menus(operations: ActionOperation[]): INodeProperties[] {
	const menusFor = (offered: ActionOperation[], tool: boolean | undefined): INodeProperties[] => [
		resourceProperty(resourcesOf(offered), tool),
		...resourcesOf(offered).map((resource) =>
			operationProperty(
				resource,
				offered.filter((operation) => operation.resource === resource),
				tool,
			),
		),
	];
	const forAgents = operations.filter(offeredToAgents);
	return forAgents.length === operations.length
		? menusFor(operations, undefined)
		: [...menusFor(operations, false), ...menusFor(forAgents, true)];
}

function fieldsOf(operation: ActionOperation): INodeProperties[] {
	return operation.properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: {
				...property.displayOptions?.show,
				resource: [operation.resource],
				operation: [operation.value],
			},
		},
	}));
}

/**
 * Outputs as an expression of the chosen resource: a second output, for what cannot be read, only
 * where an operation has one. n8n evaluates it in the editor and when it runs the workflow.
 */
function outputsOf(operations: ActionOperation[]): INodeTypeDescription['outputs'] {
	const withSecond = resourcesWithUnreadableOutput(operations);
	if (withSecond.length === 0) return [NodeConnectionTypes.Main];
	const two = JSON.stringify([
		{ type: NodeConnectionTypes.Main, displayName: 'Items' },
		{ type: NodeConnectionTypes.Main, displayName: 'Unreadable' },
	]);
	const one = JSON.stringify([{ type: NodeConnectionTypes.Main }]);
	return `={{ ${JSON.stringify(withSecond)}.includes($parameter.resource) ? ${two} : ${one} }}`;
}

/**
 * The node used as a tool describes each operation in its own words: n8n's automatic description
 * would be the operation's action ("Find workflow calls by case ID or callee in AIRudder"), which
 * also names the node on the canvas and so cannot say more. A node that has its own
 * `toolDescription` keeps n8n from adding its Tool Description fields; this one is filled with the
 * chosen operation's text and stays editable.
 */
const TOOL_DESCRIPTION_FIELD: INodeProperties = {
	displayName: 'Tool Description',
	name: 'toolDescription',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	description: 'What the AI agent reads about this tool: what it returns and which parameters to fill',
};

function toolDescriptionOf(operation: ActionOperation): INodeProperties {
	return {
		...TOOL_DESCRIPTION_FIELD,
		default: operation.toolDescription,
		displayOptions: { show: { '@tool': [true], resource: [operation.resource], operation: [operation.value] } },
	};
}

export function actionNodeDescription(operations: ActionOperation[]): ActionNodeDescription {
	return {
		group: ['transform'],
		version: 1,
		description: 'Replay stored AIRudder callbacks, look up tasks and workflow calls, and start calling',
		defaults: { name: 'AIRudder' },
		inputs: [NodeConnectionTypes.Main],
		outputs: outputsOf(operations),
		properties: [...menus(operations), ...operations.map(toolDescriptionOf), ...operations.flatMap(fieldsOf)],
	};
}

