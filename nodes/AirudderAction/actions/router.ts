import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { offeredToAgents, resourcesWithUnreadableOutput, type ActionOperation } from './operation';

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
 * came from; with Continue On Fail, an item that failed gives one item with its error instead, and
 * AIRudder's own words in `description` when it gave any.
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
				const { message, description } = error as { message: string; description?: unknown };
				main.push(paired(itemIndex)({ error: message, ...(typeof description === 'string' ? { description } : {}) }));
				continue;
			}
			throw failedItem(context, error, itemIndex);
		}
	}
	return resourcesWithUnreadableOutput(operations).includes(operation.resource) ? [main, unreadable] : [main];
}
