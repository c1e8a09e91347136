import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const API_CREDENTIAL_NAME = 'airudderApi';

export const DEFAULT_API_BASE_URL = 'https://api.airudder.com';

/** The AIRudder API credential as the sign-in and the client read it. */
export interface ApiCredentials {
	appKey: string;
	appSecret: string;
	/** Without a trailing slash, so paths can follow it. */
	baseUrl: string;
	/** Empty when AIRudder does not encrypt this account's API traffic. */
	aesKey: string;
}

const asText = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

export function readApiCredentials(data: ICredentialDataDecryptedObject): ApiCredentials {
	return {
		appKey: asText(data.appKey),
		appSecret: asText(data.appSecret),
		baseUrl: (asText(data.baseUrl) || DEFAULT_API_BASE_URL).replace(/\/+$/, ''),
		aesKey: typeof data.aesSecretKey === 'string' ? data.aesSecretKey : '',
	};
}
