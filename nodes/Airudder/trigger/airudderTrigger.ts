import {
	NodeOperationError,
	type IHookFunctions,
	type INodeType,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { callbackCredentialTests, CREDENTIAL_NAME, findCredentialProblems, readCallbackSecrets } from '../receive/callbackCredential';
import type { CallbackDefinition } from '../vocabulary/definition';
import { timeZoneLoadOptions } from '../output/outputProperties';
import { readTriggerSettings, settingsProblems } from './settings';
import { handleCallback } from './webhook';

/**
 * AIRudder has no webhook registration API: the user pastes the URL into AIRudder. So activation
 * registers nothing, but it is where a mistyped setting is reported, in the editor, instead of
 * silently refusing or mangling callbacks later.
 */
async function checkSettingsOnActivation(this: IHookFunctions, definition: CallbackDefinition): Promise<boolean> {
	const problems = [
		...findCredentialProblems(readCallbackSecrets(await this.getCredentials(CREDENTIAL_NAME))),
		...settingsProblems(readTriggerSettings(this, definition)),
	];
	if (problems.length > 0) throw new NodeOperationError(this.getNode(), problems.join(' '));
	return true;
}

const sharedMethods = {
	credentialTest: callbackCredentialTests,
	loadOptions: timeZoneLoadOptions,
};

/** What every AIRudder trigger node does, once its class has added the description. */
export type TriggerBehaviour = Pick<INodeType, 'methods' | 'webhookMethods' | 'webhook'>;

/**
 * Turns one callback definition into the behaviour of its n8n trigger. The node class extends
 * it and declares its description, so n8n's rules see the node as n8n's own triggers are written.
 */
export function airudderTrigger(definition: CallbackDefinition): new () => TriggerBehaviour {
	return class AirudderTriggerBehaviour implements TriggerBehaviour {
		methods = sharedMethods;

		webhookMethods = {
			default: {
				async checkExists(this: IHookFunctions): Promise<boolean> {
					return false;
				},
				async create(this: IHookFunctions): Promise<boolean> {
					return await checkSettingsOnActivation.call(this, definition);
				},
				async delete(this: IHookFunctions): Promise<boolean> {
					return true;
				},
			},
		};

		async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
			return await handleCallback.call(this, definition);
		}
	};
}
