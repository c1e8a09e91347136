import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IAuthenticateGeneric,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { DEFAULT_API_BASE_URL, readApiCredentials } from '../nodes/AirudderAction/transport/apiCredential';
import { AIRUDDER_HEADERS, signIn, SIGN_IN_PATH } from '../nodes/AirudderAction/transport/apiSignIn';

export class AirudderApi implements ICredentialType {
	name = 'airudderApi';

	displayName = 'AIRudder API';

	icon: Icon = { light: 'file:../icons/airudder.svg', dark: 'file:../icons/airudder.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-airudder/n8n-nodes-airudder/blob/main/docs/airudder-node.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'App Key',
			name: 'appKey',
			type: 'string',
			default: '',
			required: true,
			description: 'The APPKey AIRudder issued for your account',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The APPSecret AIRudder issued with the App Key',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_API_BASE_URL,
			description: 'AIRudder’s API address; change it only if AIRudder gave you another one',
		},
		{
			displayName: 'AES Key',
			name: 'aesSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only if AIRudder encrypts your account’s API calls: the AES key AIRudder gave you, exactly 16, 24 or 32 characters (bytes). Leave empty otherwise.',
		},
	];

	/** n8n runs this when the token is empty, after an HTTP 401 and when the credential is tested. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return { sessionToken: await signIn(this.helpers.httpRequest, readApiCredentials(credentials)) };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Token {{$credentials.sessionToken}}' } },
	};

	/** n8n signs in (preAuthentication) before this request when it tests a credential, so a wrong key fails there. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: SIGN_IN_PATH,
			method: 'POST',
			headers: AIRUDDER_HEADERS,
			body: { APPKey: '={{$credentials.appKey}}', APPSecret: '={{$credentials.appSecret}}' },
		},
	};
}
