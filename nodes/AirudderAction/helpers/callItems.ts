import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { AirudderBody } from '../transport/apiAnswer';
import { callAirudder, type ApiRequest } from '../transport/apiClient';
import type { CallbackDefinition } from '../../Airudder/vocabulary/definition';
import { toOutputItems } from '../../Airudder/output/items';
import { accountTimeZoneOf } from '../../Airudder/output/itemOptions';
import { validatePayload } from '../../Airudder/receive/stages';
import { isValidTimeZone } from '../../Airudder/time';
import { ACCOUNT_TIME_ZONE_OPTION } from '../../Airudder/output/outputProperties';

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
	accountTimeZone: string;
	options: IDataObject;
}

export function readLookupSettings(context: IExecuteFunctions, itemIndex: number, definition: CallbackDefinition): LookupSettings {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const accountTimeZone = accountTimeZoneOf(definition, options.accountTimeZone, context.getTimezone());
	if (!isValidTimeZone(accountTimeZone)) {
		throw new NodeOperationError(context.getNode(), `"${accountTimeZone}" is not a time zone. Pick one from the AIRudder Account Time Zone list.`, { itemIndex });
	}
	return { simplify: context.getNodeParameter('simplify', itemIndex, true) as boolean, accountTimeZone, options };
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
	return answers.flatMap(({ payloads }) =>
		payloads.flatMap((payload) => {
			const checked = validatePayload(definition, payload);
			if (checked.kind === 'unreadable') {
				throw new NodeOperationError(
					context.getNode(),
					`AIRudder's answer is not what the ${definition.displayName} reads: ${checked.reasons.join(' ')} Turn Simplify off to see the answer as AIRudder sent it.`,
				);
			}
			return toOutputItems(definition, checked, { mode: 'perItem', simplify: true, accountTimeZone: settings.accountTimeZone });
		}),
	);
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

/** Runs a lookup by the item's Task ID: one request, whose `data` is the task with its calls. */
export async function taskCallItems(
	context: IExecuteFunctions,
	itemIndex: number,
	definition: CallbackDefinition,
	requestFor: (taskId: string) => ApiRequest,
): Promise<IDataObject[]> {
	const settings = readLookupSettings(context, itemIndex, definition);
	const taskId = (context.getNodeParameter('taskId', itemIndex) as string).trim();
	const body = await callAirudder(context, itemIndex, requestFor(taskId));
	return callItemsOf(context, definition, settings, [{ body, payloads: [body.data] }]);
}
