import type { IDataObject } from 'n8n-workflow';

import { headerValue, type CallbackHeaders } from '../../Airudder/receive/callbackRequest';
import { decryptAirudder, secretsEqual, sha256Hex } from '../../Airudder/crypto';
import { isPlainObject, withReservedKeysRenamed } from '../../Airudder/values';

/** AIRudder's `/service/cloud` success code, in the body of every answer. */
export const AIRUDDER_OK = 200;

/** An HTTP answer as n8n's request helpers give it with `returnFullResponse`. */
export interface HttpAnswer {
	statusCode?: number;
	headers?: CallbackHeaders;
	body?: unknown;
}

/** AIRudder's body: `{"code": 200, "data": …}` on success, its own code and message otherwise. */
export interface AirudderBody {
	code: number;
	message: string;
	/** `data` with AIRudder's own key names, which the triggers' schemas read: never an item as it is. */
	data: unknown;
	/** The whole body as AIRudder sent it (decrypted), keys n8n would drop or refuse renamed: for items. */
	sent: IDataObject;
}

/** An answer that is not an AIRudder body: the sentence says what to do. */
export class UnreadableAnswer extends Error {}

/** What `run` returns, or the error it threw. */
function attempt<T>(run: () => T): T | Error {
	try {
		return run();
	} catch (error) {
		return error as Error;
	}
}

function bodyText(body: unknown): string {
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (typeof body === 'string') return body;
	return body === undefined || body === null ? '' : JSON.stringify(body);
}

/**
 * The plaintext of an answer. AIRudder marks an encrypted one with `Is-Encrypted: 1` and signs its
 * plaintext in `Signed` (sha256 hex), as on requests; a wrong AES key shows as a Signed mismatch.
 */
function plaintextOf(answer: HttpAnswer, aesKey: string): string {
	const text = bodyText(answer.body).trim();
	const headers = answer.headers ?? {};
	if (headerValue(headers, 'is-encrypted') !== '1') return text;
	if (aesKey === '') {
		throw new UnreadableAnswer('AIRudder encrypted its answer. Enter the AES Key AIRudder gave you in the AIRudder API credential.');
	}
	const plaintext = attempt(() => decryptAirudder(text, aesKey));
	if (plaintext instanceof Error) {
		throw new UnreadableAnswer(`AIRudder's encrypted answer could not be decrypted (${plaintext.message}). Check the AES Key in the AIRudder API credential.`);
	}
	const signed = headerValue(headers, 'signed');
	if (signed !== undefined && !secretsEqual(sha256Hex(plaintext), signed.trim().toLowerCase())) {
		throw new UnreadableAnswer(
			"AIRudder's encrypted answer does not match its Signed header: the AES Key in the AIRudder API credential is probably wrong. Copy it again from AIRudder.",
		);
	}
	return plaintext.toString('utf8');
}

/** AIRudder's body from an HTTP answer: decrypted, parsed and checked to carry a code. */
export function readAirudderBody(answer: HttpAnswer, aesKey: string): AirudderBody {
	const text = plaintextOf(answer, aesKey);
	if (text === '') throw new UnreadableAnswer('AIRudder answered with an empty body. Try again later; if it persists, check the Base URL in the AIRudder API credential.');
	const parsed = attempt((): unknown => JSON.parse(text));
	if (parsed instanceof Error) {
		throw new UnreadableAnswer(
			'AIRudder answered with something that is not JSON. Check that the Base URL in the AIRudder API credential points at AIRudder’s API.',
		);
	}
	if (!isPlainObject(parsed) || parsed.code === undefined) {
		throw new UnreadableAnswer('AIRudder answered with JSON that has no "code". Check that the Base URL in the AIRudder API credential points at AIRudder’s API.');
	}
	const message = [parsed.message, parsed.msg, parsed.status].find((value) => typeof value === 'string' && value !== '');
	// AIRudder's keys are data, as in a callback: what n8n would drop or refuse is renamed in the answer
	// given as sent; `data` keeps AIRudder's names, which the trigger's schema reads.
	const sent = withReservedKeysRenamed(parsed, parsed);
	return { code: Number(sent.code), message: (message as string | undefined) ?? '', data: parsed.data, sent };
}

/** AIRudder's body in a refusal's answer, if it is one: HTML from a proxy is not. */
export function refusalBodyOf(answer: HttpAnswer, aesKey: string): AirudderBody | undefined {
	try {
		return readAirudderBody(answer, aesKey);
	} catch {
		return undefined;
	}
}

/**
 * Whether AIRudder refused the token in a 200 answer. Which codes mean that is unpublished: 401
 * and 403 as HTTP would use them, or a message that names the token.
 */
export function refusesToken(body: AirudderBody): boolean {
	return body.code !== AIRUDDER_OK && (body.code === 401 || body.code === 403 || /token/i.test(body.message));
}

/** AIRudder's code and message, for sentences that say what to do about them. */
export function airudderSaid(body: AirudderBody): string {
	return `AIRudder answered code ${body.code}${body.message ? `: "${body.message}"` : ''}`;
}
