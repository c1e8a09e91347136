import type { ILoadOptionsFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { pluralOf } from '../vocabulary/definition';

/**
 * The parameters that shape items, shared by the triggers and by the AIRudder node's operations
 * that give a trigger's items, so that both offer the same choices under the same names.
 */

export const ACCOUNT_TIME_ZONE_OPTION: INodeProperties = {
	displayName: 'AIRudder Account Time Zone Name or ID',
	name: 'accountTimeZone',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getTimeZones' },
	default: '',
	description:
		'The time zone of your AIRudder account, used to turn its local times into ISO-8601; by default the workflow’s time zone. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** The list behind the time zone option: every zone Node knows, after the workflow's own. */
export const timeZoneLoadOptions = {
	async getTimeZones(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return [
			{ name: 'Workflow Time Zone', value: '' },
			...Intl.supportedValuesOf('timeZone').map((zone) => ({
				name: zone,
				value: zone,
			})),
		];
	},
};

/** Separate Items or One Item per Callback, for callbacks that can group several calls. */
export function outputModeProperty(noun: string): INodeProperties {
	return {
		displayName: 'Output',
		name: 'outputMode',
		type: 'options',
		options: [
			{
				name: 'One Item per Callback',
				value: 'perCallback',
				description: 'The callback exactly as AIRudder sent it, after validation',
			},
			{
				name: 'Separate Items',
				value: 'perItem',
				description: `One item per ${noun}: AIRudder can group several ${pluralOf(noun)} in one callback, and each gets the callback's shared fields`,
			},
		],
		default: 'perItem',
	};
}

/** Simplify, which applies to separate items only where an Output choice exists. */
export function simplifyProperty(withOutputMode: boolean): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to return flat, spreadsheet-ready columns: nested fields become prefixed columns, lists become text, and AIRudder times gain ISO-8601 twins ending in _iso',
		...(withOutputMode ? { displayOptions: { show: { outputMode: ['perItem'] } } } : {}),
	};
}
