import type { INodeProperties } from 'n8n-workflow';

import { pluralOf, type CallbackDefinition } from '../vocabulary/definition';
import { filtersProperty } from './filtersProperty';
import {
	DEFAULT_MAX_BODY_MB,
	DEFAULT_RECORDING_MAX_MB,
	DEFAULT_RECORDING_TIMEOUT_SECONDS,
	DEFAULT_REMEMBER_HOURS,
	MAX_REMEMBERED_DELIVERIES,
} from '../limits';
import { RECORDING_BINARY_PROPERTY } from '../output/recordings';
import { ACCOUNT_TIME_ZONE_OPTION, outputModeProperty, simplifyProperty } from '../output/outputProperties';
import { usesAccountTime } from '../output/itemOptions';
import { setupNotice } from './texts';
import { itemKeyOf } from '../values';

/**
 * n8n parses a body sent as JSON before any node sees it, and answers 422 when it cannot, so an
 * AES-encrypted callback (base64 under `Content-Type: application/json`) would never reach us and
 * AIRudder would give up on it. For a version-1 trigger n8n skips that parsing when
 * `options.binaryData` is set, the switch of its own Webhook node v1; the node then reads the
 * exact bytes itself. That path is what n8n reads, so the parameter must be called `options`. The end-to-end suite proves this on every n8n version it runs on.
 */
const RECEIVE_RAW_BODY: INodeProperties = {
	displayName: 'Receive Raw Body',
	name: 'options',
	type: 'hidden',
	default: { binaryData: true },
};

function repeatIdentity(definition: CallbackDefinition): string {
	const fields = definition.deliveryKey ?? [];
	return fields.length > 0 ? fields.map((field) => itemKeyOf(field)).join(' and ') : 'content';
}

/** Download Recordings first, the settings it uses after Max Body Size: the collection is sorted by name. */
function recordingOptions(definition: CallbackDefinition): INodeProperties[] {
	if (!definition.recordings) return [];
	const documented = definition.recordings.linkField;
	const onlySeparate = definition.split ? ' Works with the Separate Items output.' : '';
	return [
		{
			displayName: 'Download Recordings',
			name: 'downloadRecordings',
			type: 'boolean',
			default: false,
			description: `Whether to download each ${definition.itemNoun}'s recording into the binary property "${RECORDING_BINARY_PROPERTY}", ready for Google Drive or S3. AIRudder gets its 200 first. Every item gets recording_status (downloaded, no_link or failed) and recording_error; a failed download keeps the item.${onlySeparate}`,
		},
		{
			displayName: 'Recording Link Field',
			name: 'recordingLinkField',
			type: 'string',
			default: '',
			placeholder: documented ?? 'e.g. record_url',
			description: documented
				? `Used with Download Recordings: the field holding the link. Empty means "${documented}", the field AIRudder documents.`
				: 'Used with Download Recordings: the field holding the link. AIRudder documents none for this callback, so empty means the first field whose name says recording (record_url, recording_link, voice_url, audio_url…).',
		},
		{
			displayName: 'Recording Max Size (MB)',
			name: 'recordingMaxSizeMb',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1024 },
			default: DEFAULT_RECORDING_MAX_MB,
			description: 'Used with Download Recordings: a larger recording is not downloaded, and its item says so in recording_error',
		},
		{
			displayName: 'Recording Timeout (Seconds)',
			name: 'recordingTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 600 },
			default: DEFAULT_RECORDING_TIMEOUT_SECONDS,
			description: 'Used with Download Recordings: how long one download may take in all',
		},
	];
}

/** The trigger's parameters, in the order the editor shows them. */
export function triggerProperties(definition: CallbackDefinition): INodeProperties[] {
	const noun = definition.itemNoun;
	const [downloadRecordings, ...recordingSettingOptions] = recordingOptions(definition);
	const properties: INodeProperties[] = [
		RECEIVE_RAW_BODY,
		{ displayName: setupNotice(definition), name: 'setupNotice', type: 'notice', default: '' },
		{
			displayName: 'Allowed IP Addresses',
			name: 'allowedIps',
			type: 'string',
			default: '',
			placeholder: '203.0.113.10, 198.51.100.0/24',
			description:
				'Only accept callbacks from these addresses or CIDR ranges, separated by commas. Ask AIRudder for their callback IPs. Leave empty to accept any address.',
		},
	];
	if (definition.split) properties.push(outputModeProperty(noun));
	properties.push(simplifyProperty(definition.split !== undefined));
	const filters = filtersProperty(definition);
	if (filters) properties.push(filters);
	properties.push({
		displayName: 'Options',
		name: 'additionalOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...(usesAccountTime(definition) ? [ACCOUNT_TIME_ZONE_OPTION] : []),
			...(downloadRecordings ? [downloadRecordings] : []),
			{
				displayName: 'Ignore Repeated Deliveries',
				name: 'ignoreRepeatedDeliveries',
				type: 'boolean',
				default: false,
				description: `Whether to drop ${pluralOf(noun)} AIRudder delivers again, which it does when n8n answered later than 10 seconds. Leave it off when the next step updates a row by delivery_key (Google Sheets Append or Update Row, Data Table Upsert): that already keeps one row per ${noun}. Turn it on only when the next step cannot update (an email, a HubSpot task): it then answers AIRudder before n8n has started the execution, so a callback n8n fails to start (overloaded or crashing) is lost. A repeat has the same ${repeatIdentity(definition)} as a ${noun} received before. Remembers the last ${MAX_REMEMBERED_DELIVERIES.toLocaleString('en-US')}, and survives restarts.`,
			},
			{
				displayName: 'Max Body Size (MB)',
				name: 'maxBodySizeMb',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1024 },
				default: DEFAULT_MAX_BODY_MB,
				description: `Larger callbacks are refused with 413 and a message naming this option. n8n refuses bodies above N8N_PAYLOAD_SIZE_MAX (default ${DEFAULT_MAX_BODY_MB} MB) before this check.`,
			},
			...recordingSettingOptions,
			{
				displayName: 'Remember Deliveries For (Hours)',
				name: 'rememberDeliveriesForHours',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 720 },
				default: DEFAULT_REMEMBER_HOURS,
				description: 'Used with Ignore Repeated Deliveries: how long a delivery counts as seen. AIRudder retries within about six minutes.',
			},
		],
	});
	return properties;
}
