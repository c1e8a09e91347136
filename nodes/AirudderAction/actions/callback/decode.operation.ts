import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { ActionOperation } from '../operation';
import { CREDENTIAL_NAME, readCallbackSecrets } from '../../../Airudder/receive/callbackCredential';
import { decodeStoredCallback, TYPE_FROM_THE_ITEM } from '../../helpers/storedCallback';
import type { OutputMode } from '../../../Airudder/output/items';
import { ACCOUNT_TIME_ZONE_OPTION, outputModeProperty, simplifyProperty } from '../../../Airudder/output/outputProperties';
import { chosenTimeZone } from '../../../Airudder/output/itemOptions';
import { callbackDefinitions } from '../../../catalogue';

const RAW_BODY_PROPERTY = 'rawBodyProperty';

export const decode: ActionOperation = {
	resource: 'callback',
	value: 'decode',
	name: 'Decode',
	action: 'Decode a stored callback',
	description: "Read a callback from a trigger's Invalid output, or from n8n's Webhook node, exactly as the trigger would have",
	toolDescription:
		'Reads a stored AIRudder callback from the input item, which an AI agent cannot hand over, and returns the items its trigger would have given. Never offered to AI agents.',
	outputDescription:
		'**Items**: exactly what the trigger named by Callback Type emits, with the same settings (its columns are above). **Unreadable**: what still cannot be read, or fails the signature or URL token, with the fields of the Invalid output above.',
	credential: 'airudderCallbackApi',
	placesCalls: false,
	readsInputItem: true,
	properties: [
		{
			displayName:
				"Connect a trigger's Invalid output, or n8n's Webhook node with Raw Body on. Items the trigger would have emitted leave by Items; what still cannot be read, or fails the signature or URL token, leaves by Unreadable with its reason.",
			name: 'decodeNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Callback Type',
			name: 'callbackType',
			type: 'options',
			options: [
				{
					name: 'From the Item',
					value: TYPE_FROM_THE_ITEM,
					description: "The trigger named in the item's callbackType, as every Invalid item has it",
				},
				...callbackDefinitions
					.map((definition) => ({
						name: definition.displayName.replace(/^AIRudder | Trigger$/g, ''),
						value: definition.nodeName,
					}))
					.sort((a, b) => a.name.localeCompare(b.name)),
			],
			default: TYPE_FROM_THE_ITEM,
			description: 'Which trigger’s format the callback has. Pick one for items from n8n’s Webhook node.',
		},
		{
			displayName: 'If a Callback Cannot Be Read',
			name: 'whenUnreadable',
			type: 'options',
			options: [
				{
					name: 'Send It to the Unreadable Output',
					value: 'output',
					description: 'With its reason and raw body, for an alert or a sheet of problems',
				},
				{
					name: 'Stop With an Error',
					value: 'error',
					description:
						'The execution fails, so after you fix the credential, Retry in the Executions list reads the stored callback again',
				},
			],
			default: 'output',
		},
		{
			...outputModeProperty('call'),
			description: 'Used for callbacks that can group several calls',
		},
		simplifyProperty(true),
		{
			displayName: 'Options',
			name: 'decodeOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				ACCOUNT_TIME_ZONE_OPTION,
				{
					displayName: 'Check Signature',
					name: 'checkSignature',
					type: 'boolean',
					default: true,
					description:
						"Whether to check the signature as the trigger does, where the item kept the signature header: n8n's Webhook node keeps every header; a trigger's Invalid item never keeps it, because the trigger checked it on arrival",
				},
				{
					displayName: 'Raw Body Binary Property',
					name: RAW_BODY_PROPERTY,
					type: 'string',
					default: 'data',
					description: "For items from n8n's Webhook node with Raw Body on: the binary property holding the body",
				},
			],
		},
	],
	async run(context: IExecuteFunctions, itemIndex: number) {
		const options = context.getNodeParameter('decodeOptions', itemIndex, {}) as IDataObject;
		const rawBodyProperty = typeof options[RAW_BODY_PROPERTY] === 'string' ? options[RAW_BODY_PROPERTY] : 'data';
		const input = context.getInputData()[itemIndex];
		const rawBody = input.binary?.[rawBodyProperty]
			? await context.helpers.getBinaryDataBuffer(itemIndex, rawBodyProperty)
			: undefined;
		const decoded = await decodeStoredCallback({ json: input.json, rawBody }, callbackDefinitions, {
			callbackType: context.getNodeParameter('callbackType', itemIndex) as string,
			checkSignature: options.checkSignature !== false,
			itemOptions: {
				mode: context.getNodeParameter('outputMode', itemIndex, 'perItem') as OutputMode,
				simplify: context.getNodeParameter('simplify', itemIndex, true) as boolean,
				accountTimeZone: chosenTimeZone(options.accountTimeZone, context.getTimezone()),
			},
			secrets: readCallbackSecrets(await context.getCredentials(CREDENTIAL_NAME, itemIndex)),
			now: new Date(),
		});
		const [unreadable] = decoded.unreadable;
		if (unreadable && context.getNodeParameter('whenUnreadable', itemIndex, 'output') === 'error') {
			throw new NodeOperationError(context.getNode(), `The callback still cannot be read: ${String(unreadable.reason)}`, {
				itemIndex,
				description:
					'Correct the AIRudder Callback API credential, then open this execution in the Executions list and choose Retry: the stored callback is read again.',
			});
		}
		return decoded;
	},
};
