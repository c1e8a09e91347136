import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';

import type { CallbackDefinition } from '../vocabulary/definition';
import { triggerProperties } from './properties';
import { triggerPanel } from './texts';

/**
 * What the editor shows of a trigger, assembled from its texts and parameters. What n8n's
 * community-node rules must read literally in each node file (icon, subtitle and the credential
 * with its test) is written there; everything else comes from the definition.
 */
export type TriggerDescription = Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'credentials'>;

export function triggerDescription(definition: CallbackDefinition): TriggerDescription {
	return {
		displayName: definition.displayName,
		name: definition.nodeName,
		group: ['trigger'],
		version: 1,
		description: definition.description,
		triggerPanel: triggerPanel(definition),
		defaults: { name: definition.displayName },
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: [definition.outputName, 'Invalid'],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Left out, n8n answers with the literal text "firstEntryJson" instead of its acknowledgement.
				responseData: '',
				path: definition.webhookPath,
			},
		],
		properties: triggerProperties(definition),
	};
}
