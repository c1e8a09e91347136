import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { decryptAirudder, encryptAirudder, isValidAesKey } from '../crypto';
import { DEFAULT_SIGNATURE_HEADER } from '../limits';
import { THREE_FIXES } from './refusals';
import { isSignatureScheme, KEYED_SCHEMES, type SignatureScheme } from './signature';

export const CREDENTIAL_NAME = 'airudderCallbackApi';
export const CREDENTIAL_TEST_NAME = 'airudderCallbackApiTest';

export interface CallbackSecrets {
	signatureScheme: SignatureScheme;
	signingSecret: string;
	signatureHeader: string;
	signedContent: 'raw' | 'decrypted';
	aesKey: string;
	urlToken: string;
	replayWindowSeconds: number;
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : '');

export function readCallbackSecrets(data: ICredentialDataDecryptedObject): CallbackSecrets {
	const replayWindow = Number(data.replayWindowSeconds ?? 0);
	return {
		signatureScheme: isSignatureScheme(data.signatureScheme) ? data.signatureScheme : 'none',
		signingSecret: asText(data.signingSecret),
		signatureHeader: asText(data.signatureHeader).trim() || DEFAULT_SIGNATURE_HEADER,
		signedContent: data.signedContent === 'decrypted' ? 'decrypted' : 'raw',
		aesKey: asText(data.aesSecretKey),
		urlToken: asText(data.urlToken),
		replayWindowSeconds: Number.isFinite(replayWindow) && replayWindow > 0 ? replayWindow : 0,
	};
}

/** Problems in plain words; an empty list means the credential is usable. */
export function findCredentialProblems(secrets: CallbackSecrets): string[] {
	const problems: string[] = [];
	if (KEYED_SCHEMES.includes(secrets.signatureScheme) && secrets.signingSecret === '') {
		problems.push('The chosen signature needs a Signing Key.');
	}
	if (secrets.aesKey !== '') {
		if (!isValidAesKey(secrets.aesKey)) {
			problems.push(
				`The AES Key is ${Buffer.byteLength(secrets.aesKey, 'utf8')} bytes long; it must be exactly 16, 24 or 32.`,
			);
		} else {
			const probe = 'AIRudder round-trip check 你好 สวัสดี';
			if (decryptAirudder(encryptAirudder(probe, secrets.aesKey), secrets.aesKey).toString('utf8') !== probe) {
				problems.push('The AES Key does not decrypt what it encrypts.');
			}
		}
	}
	return problems;
}

/**
 * The credential's test. The trigger's Allowed IP Addresses is not the credential's, so settings
 * that check neither a URL token nor a signature are reported: a published trigger refuses every
 * callback until one of the three is set.
 */
export function testCallbackCredential(data: ICredentialDataDecryptedObject): INodeCredentialTestResult {
	const secrets = readCallbackSecrets(data);
	const problems = findCredentialProblems(secrets);
	if (problems.length > 0) return { status: 'Error', message: problems.join(' ') };
	if (secrets.urlToken === '' && secrets.signatureScheme === 'none') {
		return {
			status: 'Error',
			message: `These settings check neither a URL Token nor a Signature, so a published trigger refuses every callback unless its Allowed IP Addresses lists AIRudder's addresses. ${THREE_FIXES} Listening in the editor works either way.`,
		};
	}
	return { status: 'OK', message: 'The settings are valid. Send a sample callback to check them end to end.' };
}

/** The credential's test, as every node that uses the credential declares it. */
export const callbackCredentialTests = {
	async [CREDENTIAL_TEST_NAME](this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		return testCallbackCredential(credential.data ?? {});
	},
};
