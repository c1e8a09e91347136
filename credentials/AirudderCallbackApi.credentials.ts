import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { callbackDefinitions } from '../nodes/catalogue';
import { DEFAULT_SIGNATURE_HEADER } from '../nodes/Airudder/limits';
import { replayWindowDescription } from '../nodes/Airudder/trigger/replayWindowTexts';
import { KEYED_SCHEMES, SIGNATURE_SCHEMES, SIGNED_SCHEMES } from '../nodes/Airudder/receive/signature';

export class AirudderCallbackApi implements ICredentialType {
	name = 'airudderCallbackApi';

	displayName = 'AIRudder Callback API';

	icon: Icon = { light: 'file:../icons/airudder.svg', dark: 'file:../icons/airudder.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-airudder/n8n-nodes-airudder#2-set-up-the-credential';

	properties: INodeProperties[] = [
		{
			displayName:
				'These settings prove a callback really comes from your AIRudder account. Ask AIRudder which signature they use; until you know, leave Signature on "None" and set a URL Token.',
			name: 'introNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Signature',
			name: 'signatureScheme',
			type: 'options',
			options: Object.entries(SIGNATURE_SCHEMES).map(([value, name]) => ({ name, value })),
			default: 'none',
			description:
				'How AIRudder signs each callback. A plain SHA-256 without the key only proves the body was not damaged on the way, not who sent it.',
		},
		{
			displayName: 'Signing Key',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'airudder',
			description:
				'The "KEY" you gave AIRudder for parameter signing. AIRudder’s default is "airudder"; choose your own.',
			displayOptions: { show: { signatureScheme: KEYED_SCHEMES } },
		},
		{
			displayName: 'Signature Header',
			name: 'signatureHeader',
			type: 'string',
			default: DEFAULT_SIGNATURE_HEADER,
			description: 'The HTTP header that carries the signature',
			displayOptions: { show: { signatureScheme: SIGNED_SCHEMES } },
		},
		{
			displayName: 'Signature Covers',
			name: 'signedContent',
			type: 'options',
			options: [
				{
					name: 'Body as Received',
					value: 'raw',
					description: 'The exact bytes AIRudder sent, encrypted or not',
				},
				{
					name: 'Decrypted Body',
					value: 'decrypted',
					description: 'The JSON after AES decryption, like AIRudder’s "Signed" header',
				},
			],
			default: 'raw',
			description: 'Which bytes AIRudder computes the signature over, when it encrypts callbacks',
			displayOptions: { show: { signatureScheme: SIGNED_SCHEMES } },
		},
		{
			displayName: 'AES Key',
			name: 'aesSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only if AIRudder encrypts your callbacks: the AES key you agreed with them, exactly 16, 24 or 32 characters (bytes)',
		},
		{
			displayName: 'URL Token',
			name: 'urlToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'A long random secret of your choice. When set, every callback URL you give AIRudder must end with ?token=<this secret>; calls without it are refused.',
		},
		{
			displayName: 'Replay Window (Seconds)',
			name: 'replayWindowSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: replayWindowDescription(callbackDefinitions),
		},
	];
}
