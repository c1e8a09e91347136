import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { ACTION_RESOURCES, type ActionOperation, type ActionResource } from './actionOperation';

/**
 * The AIRudder node, assembled from its operations. What n8n's community-node rules must read
 * literally in the node file (its name, icon, subtitle, usableAsTool, credentials) is written there.
 */
export type ActionNodeDescription = Omit<
	INodeTypeDescription,
	'displayName' | 'name' | 'usableAsTool' | 'icon' | 'subtitle' | 'credentials'
>;

/** Operations an AI agent may run: none that places calls, none that needs a stored callback. */
export const offeredToAgents = (operation: ActionOperation): boolean => !operation.placesCalls && !operation.readsInputItem;

const byName = <T extends { name: string }>(entries: T[]): T[] => [...entries].sort((a, b) => a.name.localeCompare(b.name));

function resourcesOf(operations: ActionOperation[]): ActionResource[] {
	return [...new Set(operations.map((operation) => operation.resource))];
}

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

/** Resources with an operation that reads stored callbacks get the second output, Unreadable. */
function resourcesWithUnreadableOutput(operations: ActionOperation[]): ActionResource[] {
	return resourcesOf(operations.filter((operation) => operation.readsInputItem));
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

export function actionNodeDescription(operations: ActionOperation[]): ActionNodeDescription {
	return {
		group: ['transform'],
		version: 1,
		description: 'Replay stored AIRudder callbacks, look up tasks and workflow calls, and start calling',
		defaults: { name: 'AIRudder' },
		inputs: [NodeConnectionTypes.Main],
		outputs: outputsOf(operations),
		properties: [...menus(operations), ...operations.flatMap(fieldsOf)],
	};
}

function chosenOperation(context: IExecuteFunctions, operations: ActionOperation[]): ActionOperation {
	const resource = context.getNodeParameter('resource', 0) as string;
	const value = context.getNodeParameter('operation', 0) as string;
	const operation = operations.find((candidate) => candidate.resource === resource && candidate.value === value);
	if (!operation) {
		throw new NodeOperationError(
			context.getNode(),
			`This version of the node has no operation "${value}" for "${resource}". Pick one from the list.`,
		);
	}
	if (context.getNode().type.endsWith('Tool') && !offeredToAgents(operation)) {
		throw new NodeOperationError(
			context.getNode(),
			`"${operation.name}" is not available to AI agents. Run it from a workflow step instead.`,
		);
	}
	return operation;
}

/** n8n's error for an item that failed, naming the item; AIRudder's own answer stays a NodeApiError. */
function failedItem(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, {
		itemIndex,
	});
}

/**
 * Runs the chosen operation once per input item. Each output item is paired with the input item it
 * came from; with Continue On Fail, an item that failed gives one item with its error instead.
 */
export async function runOperations(context: IExecuteFunctions, operations: ActionOperation[]): Promise<INodeExecutionData[][]> {
	const operation = chosenOperation(context, operations);
	const inputs = context.getInputData();
	const main: INodeExecutionData[] = [];
	const unreadable: INodeExecutionData[] = [];
	const paired =
		(itemIndex: number) =>
		(json: IDataObject): INodeExecutionData => ({
			json,
			pairedItem: { item: itemIndex },
		});
	for (let itemIndex = 0; itemIndex < inputs.length; itemIndex++) {
		try {
			const result = await operation.run(context, itemIndex);
			main.push(...result.items.map(paired(itemIndex)));
			unreadable.push(...(result.unreadable ?? []).map(paired(itemIndex)));
		} catch (error) {
			if (context.continueOnFail()) {
				main.push(paired(itemIndex)({ error: (error as Error).message }));
				continue;
			}
			throw failedItem(context, error, itemIndex);
		}
	}
	return resourcesWithUnreadableOutput(operations).includes(operation.resource) ? [main, unreadable] : [main];
}
