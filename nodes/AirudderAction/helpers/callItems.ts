import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';

import type { AirudderBody } from '../transport/apiAnswer';
import { callAirudder, type ApiRequest } from '../transport/apiClient';
import type { CallbackDefinition } from '../../Airudder/vocabulary/definition';
import { toOutputItems, withSharedColumns } from '../../Airudder/output/items';
import { accountTimeZoneOf } from '../../Airudder/output/itemOptions';
import { validatePayload } from '../../Airudder/receive/stages';
import { isValidTimeZone } from '../../Airudder/time';
import { ACCOUNT_TIME_ZONE_OPTION } from '../../Airudder/output/outputProperties';
import { isPlainObject } from '../../Airudder/values';

/**
 * Operations that look calls up give the items of the trigger that would have received them, so a
 * backfilled row lines up with a row the trigger appended.
 */

export const lookupSimplifyProperty = (definition: CallbackDefinition): INodeProperties => ({
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: `Whether to return one item per ${definition.itemNoun} with the columns of the ${definition.displayName} (on), or AIRudder's answer as it sent it (off)`,
});

/**
 * The columns an AI agent needs to answer about calls (who, which case, how it ended, what the
 * callee meant, when, how long), before the NerSlots_ columns: what the bot heard, e.g. a payment
 * date. Every other column stays out of its context.
 */
const KEY_COLUMNS = ['call_id', 'task_id', 'CaseID', 'callee_number', 'result', 'result_label', 'intention_description', 'call_start_time_iso', 'call_end_time_iso', 'duration', 'call_times'];
const KEY_COLUMN_PREFIX = 'NerSlots_';

function keyColumnsOf(item: IDataObject): IDataObject {
	const keys = [...KEY_COLUMNS.filter((key) => key in item), ...Object.keys(item).filter((key) => key.startsWith(KEY_COLUMN_PREFIX))];
	return Object.fromEntries(keys.map((key) => [key, item[key]]));
}

/**
 * Key Columns Only: off in a workflow, whose rows keep every column; on for the node used as a
 * tool, so an agent reads a few columns per call instead of a spreadsheet row.
 */
export const lookupKeyColumnsProperties = (definition: CallbackDefinition): INodeProperties[] => {
	const field: INodeProperties = {
		displayName: 'Key Columns Only',
		name: 'keyColumnsOnly',
		type: 'boolean',
		default: false,
		description: `Whether to return only each ${definition.itemNoun}'s key columns (${KEY_COLUMNS.join(', ')} and the ${KEY_COLUMN_PREFIX} columns), which an AI agent reads best, instead of every column`,
	};
	return [false, true].map((tool) => ({ ...field, default: tool, displayOptions: { show: { simplify: [true], '@tool': [tool] } } }));
};

/** The Options collection, with the account time zone the triggers have, and any `more`. */
export const lookupOptionsProperty = (more: INodeProperties[] = []): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [ACCOUNT_TIME_ZONE_OPTION, ...more].sort((a, b) => a.displayName.localeCompare(b.displayName)),
});

export interface LookupSettings {
	simplify: boolean;
	keyColumnsOnly: boolean;
	accountTimeZone: string;
	options: IDataObject;
}

export function readLookupSettings(context: IExecuteFunctions, itemIndex: number, definition: CallbackDefinition): LookupSettings {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const accountTimeZone = accountTimeZoneOf(definition, options.accountTimeZone, context.getTimezone());
	if (!isValidTimeZone(accountTimeZone)) {
		throw new NodeOperationError(context.getNode(), `"${accountTimeZone}" is not a time zone. Pick one from the AIRudder Account Time Zone list.`, { itemIndex });
	}
	const simplify = context.getNodeParameter('simplify', itemIndex, true) as boolean;
	const keyColumnsOnly = simplify && (context.getNodeParameter('keyColumnsOnly', itemIndex, false) as boolean);
	return { simplify, keyColumnsOnly, accountTimeZone, options };
}

/** Where an answer may hold its list of calls; AIRudder does not publish it. */
const LIST_FIELDS = ['list', 'records', 'rows', 'items', 'instances', 'data'];

/** Where a page may say how many calls there are, 0 in a page without any. */
const TOTAL_FIELDS = ['total', 'total_count', 'count', 'totalElements'];

/** The fields of one entry of the list the definition splits into items (a call of details[]). */
function entryFieldsOf(definition: CallbackDefinition, field: string): Set<string> {
	const list = definition.schema.shape[field];
	return new Set(list instanceof z.ZodArray && list.element instanceof z.ZodObject ? Object.keys(list.element.shape) : []);
}

/**
 * A call answered on its own, its task and workflow fields beside its fields, as the callback
 * that would have carried it: the fields only the envelope has go around it, the rest (a call's
 * own robot_hash among them) stay with the call.
 */
function asCallback(definition: CallbackDefinition, field: string, call: IDataObject): IDataObject {
	const entryFields = entryFieldsOf(definition, field);
	const envelope: IDataObject = {};
	const entry: IDataObject = {};
	for (const [key, value] of Object.entries(call)) {
		if (key in definition.schema.shape && !entryFields.has(key)) envelope[key] = value;
		else entry[key] = value;
	}
	return { ...envelope, [field]: [entry] };
}

/**
 * The list of calls in a page object: under a usual name, or its only list whatever the name
 * (`calls`, Spring's `content`); none in a page that counts 0 calls and holds none. A call's own
 * lists (question_answer…) are not a page's: an object with a call's fields is a call.
 */
function pageList(definition: CallbackDefinition, field: string, page: IDataObject): unknown[] | undefined {
	const named = LIST_FIELDS.map((name) => page[name]).find(Array.isArray);
	if (named) return named;
	const entryFields = entryFieldsOf(definition, field);
	if (Object.keys(page).some((key) => entryFields.has(key))) return undefined;
	const lists = Object.values(page).filter(Array.isArray);
	if (lists.length === 1) return lists[0];
	const counted = TOTAL_FIELDS.filter((name) => page[name] !== undefined && page[name] !== null);
	return lists.length === 0 && counted.length > 0 && counted.every((name) => Number(page[name]) === 0) ? [] : undefined;
}

/**
 * The callbacks in one answer's `data`, whatever reasonable shape AIRudder's unpublished answer
 * takes: a list of calls, bare or in a page object (see pageList), each a callback with details[]
 * or a call with its task and workflow fields (or only some of them) beside its own; no data, or
 * an empty page, no calls; one call on its own; else one task with its calls in details[], which
 * the trigger's schema then checks.
 */
export function callbacksIn(definition: CallbackDefinition, data: unknown): unknown[] {
	const field = definition.split?.field ?? 'details';
	const asEntry = (entry: unknown) => (isPlainObject(entry) && !Array.isArray(entry[field]) ? asCallback(definition, field, entry) : entry);
	if (Array.isArray(data)) return data.map(asEntry);
	if (!isPlainObject(data)) return data === null || data === undefined ? [] : [data];
	if (Array.isArray(data[field])) return [data];
	const list = pageList(definition, field, data);
	if (list) return list.map(asEntry);
	return Object.keys(data).some((key) => entryFieldsOf(definition, field).has(key)) ? [asEntry(data)] : [data];
}

/**
 * The trigger's items for calls AIRudder's API gave back, checked against the trigger's schema as
 * the trigger checks a callback. With Simplify off, each answer as AIRudder sent it instead.
 */
export function callItemsOf(
	context: IExecuteFunctions,
	definition: CallbackDefinition,
	settings: LookupSettings,
	answers: Array<{ body: AirudderBody; payloads: unknown[] }>,
): IDataObject[] {
	if (!settings.simplify) return answers.map(({ body }) => body.sent);
	const itemsOf = (payload: unknown): IDataObject[] => {
		const checked = validatePayload(definition, payload);
		if (checked.kind === 'unreadable') {
			throw new NodeOperationError(
				context.getNode(),
				`AIRudder's answer is not what the ${definition.displayName} reads: ${checked.reasons.join(' ')} Turn Simplify off to see the answer as AIRudder sent it.`,
			);
		}
		const items = toOutputItems(definition, checked, { mode: 'perItem', simplify: true, accountTimeZone: settings.accountTimeZone });
		return settings.keyColumnsOnly ? items.map(keyColumnsOf) : items;
	};
	// One answer's calls share their columns, as one callback's do, whether it lists them one by one or as one task.
	return answers.flatMap(({ payloads }) => withSharedColumns(payloads.flatMap(itemsOf)));
}

export const taskIdProperty = (description: string): INodeProperties => ({
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '69f531a01a9df58aa6de2487be610abb',
	description,
});

/** Runs a lookup by the item's Task ID: one request, whose `data` holds the task's calls. */
export async function taskCallItems(
	context: IExecuteFunctions,
	itemIndex: number,
	definition: CallbackDefinition,
	requestFor: (taskId: string) => ApiRequest,
): Promise<IDataObject[]> {
	const settings = readLookupSettings(context, itemIndex, definition);
	const taskId = (context.getNodeParameter('taskId', itemIndex) as string).trim();
	const body = await callAirudder(context, itemIndex, requestFor(taskId));
	return callItemsOf(context, definition, settings, [{ body, payloads: callbacksIn(definition, body.data) }]);
}
