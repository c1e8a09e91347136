import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CallbackDefinition } from '../../Airudder/vocabulary/definition';

/** The AIRudder node's resources, as saved in workflows: never rename a value. */
export const ACTION_RESOURCES = {
	callback: { name: 'Callback', description: 'Read a callback that was stored instead of received' },
	task: { name: 'Task', description: 'A calling task and its calls' },
	workflow: { name: 'Workflow', description: 'A workflow instance and its calls' },
} as const;

export type ActionResource = keyof typeof ACTION_RESOURCES;

/** The credential an operation signs its work with. */
export type ActionCredential = 'airudderApi' | 'airudderCallbackApi';

/** What one run of an operation gives back for one input item. */
export interface OperationResult {
	/** Items for the node's first output. */
	items: IDataObject[];
	/** Items for the second output (Decode only): what still cannot be read, with reasons. */
	unreadable?: IDataObject[];
}

/**
 * One operation of the AIRudder node, declared once: where it sits in the menus, its fields and
 * how it runs one input item. versionDescription.ts turns the list into the node's description, router.ts runs it.
 */
export interface ActionOperation {
	resource: ActionResource;
	/** The operation's value in saved workflows: never rename it. */
	value: string;
	/** The menu entry, e.g. "Find Calls". */
	name: string;
	/** The entry in the node panel's action list, e.g. "Find workflow calls by case ID or callee". */
	action: string;
	description: string;
	/**
	 * What an AI agent reads about it as a tool (and an MCP client as the tool's description): what
	 * it returns and which parameters the agent fills, in one or two sentences.
	 */
	toolDescription: string;
	/** What its items hold, for the field reference: one or two sentences. */
	outputDescription: string;
	credential: ActionCredential;
	/**
	 * Starts or schedules real phone calls. Such an operation is never offered to an AI agent: a
	 * model that misreads a prompt must not be able to dial a customer list.
	 */
	placesCalls: boolean;
	/**
	 * Reads the input item as it is (a stored callback), which an AI agent cannot hand over: such
	 * an operation is not offered to agents either.
	 */
	readsInputItem: boolean;
	/**
	 * The trigger whose items it gives, column for column, so that rows it backfills line up with
	 * the rows that trigger appends. The build writes that trigger's output schema for it.
	 */
	givesItemsOf?: CallbackDefinition;
	/** Its fields, without displayOptions: the factory shows them for this operation only. */
	properties: INodeProperties[];
	run(context: IExecuteFunctions, itemIndex: number): Promise<OperationResult>;
}

/** Operations an AI agent may run: none that places calls, none that needs a stored callback. */
export const offeredToAgents = (operation: ActionOperation): boolean => !operation.placesCalls && !operation.readsInputItem;

export function resourcesOf(operations: ActionOperation[]): ActionResource[] {
	return [...new Set(operations.map((operation) => operation.resource))];
}

/** Resources with an operation that reads stored callbacks get the second output, Unreadable. */
export function resourcesWithUnreadableOutput(operations: ActionOperation[]): ActionResource[] {
	return resourcesOf(operations.filter((operation) => operation.readsInputItem));
}
