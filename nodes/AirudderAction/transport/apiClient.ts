import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type IHttpRequestOptions, type JsonObject } from 'n8n-workflow';

import { AIRUDDER_OK, airudderSaid, readAirudderBody, refusesToken, UnreadableAnswer, type AirudderBody, type HttpAnswer } from './apiAnswer';
import { API_CREDENTIAL_NAME, readApiCredentials, type ApiCredentials } from './apiCredential';
import { AIRUDDER_HEADERS, isSignInFailure, signIn } from './apiSignIn';
import { encryptAirudder, isValidAesKey, sha256Hex } from '../../Airudder/crypto';

/** One call of AIRudder's API: a GET with query fields, or a POST with a JSON body. */
export type ApiRequest =
	| { method: 'GET'; path: string; query: Record<string, string> }
	| { method: 'POST'; path: string; body: IDataObject };

/**
 * The request's URL, headers and body. With an AES key, AIRudder's encrypted scheme: `Is-Encrypted:
 * 1`, `Signed` = sha256 hex of the plaintext, and the ciphertext in place of the POST body or of
 * the whole GET query string. AIRudder's example leaves that query unencoded; it is percent-encoded
 * here so `+`, `/` and `=` reach AIRudder as sent (inferred).
 */
function requestOptions(request: ApiRequest, credentials: ApiCredentials): IHttpRequestOptions {
	const plaintext = request.method === 'GET' ? new URLSearchParams(request.query).toString() : JSON.stringify(request.body);
	const encrypted = credentials.aesKey !== '';
	const sent = encrypted ? encryptAirudder(plaintext, credentials.aesKey) : plaintext;
	const url = `${credentials.baseUrl}${request.path}`;
	return {
		method: request.method,
		url: request.method === 'GET' ? `${url}?${encrypted ? encodeURIComponent(sent) : sent}` : url,
		headers: { ...AIRUDDER_HEADERS, ...(encrypted ? { 'Is-Encrypted': '1', Signed: sha256Hex(plaintext) } : {}) },
		...(request.method === 'POST' ? { body: sent } : {}),
		json: false,
		encoding: 'text',
		returnFullResponse: true,
	};
}

/**
 * The HTTP failure n8n reports after its own renewal: n8n signs in again and retries once on HTTP
 * 401, so a 401 that reaches here was refused twice.
 */
function httpFailure(context: IExecuteFunctions, request: ApiRequest, error: unknown): NodeApiError {
	type Failure = { httpCode?: unknown; response?: { status?: unknown }; cause?: { response?: { status?: unknown } } };
	const failure = error as Failure;
	const status = Number(failure.httpCode ?? failure.response?.status ?? failure.cause?.response?.status);
	const advice =
		status === 401 || status === 403
			? 'AIRudder refused the credential even after signing in again. Check the App Key and App Secret in the AIRudder API credential, and that your AIRudder account may use this API.'
			: Number.isFinite(status)
				? 'Try again later; if it persists, check the Base URL in the AIRudder API credential.'
				: 'Check the Base URL in the AIRudder API credential and that n8n can reach it.';
	const what = Number.isFinite(status) ? `HTTP ${status}` : 'no answer';
	// Only the status goes on: n8n's own error holds the request, and with it the token.
	return new NodeApiError(context.getNode(), { status: what } as JsonObject, {
		message: `AIRudder gave ${what} for ${request.path}. ${advice}`,
		...(Number.isFinite(status) ? { httpCode: String(status) } : {}),
	});
}

function airudderError(context: IExecuteFunctions, request: ApiRequest, body: AirudderBody): NodeApiError {
	return new NodeApiError(context.getNode(), body.sent as JsonObject, {
		message: `${airudderSaid(body)} for ${request.path}. Check the values you sent; if the message names the token or your keys, check the AIRudder API credential.`,
		httpCode: String(body.code),
	});
}

/**
 * Calls one AIRudder endpoint with the AIRudder API credential and gives back AIRudder's body.
 * n8n signs in when the credential has no token yet and after an HTTP 401, and then stores the new
 * token. AIRudder may refuse an expired token with a 200 and an error code instead: then this signs
 * in afresh and retries once; that token lives for this call only, as n8n stores a renewed token
 * after an HTTP 401 only.
 */
export async function callAirudder(context: IExecuteFunctions, itemIndex: number, request: ApiRequest): Promise<AirudderBody> {
	const credentials = readApiCredentials(await context.getCredentials(API_CREDENTIAL_NAME, itemIndex));
	if (credentials.aesKey !== '' && !isValidAesKey(credentials.aesKey)) {
		throw new NodeOperationError(
			context.getNode(),
			`The AES Key in the AIRudder API credential is ${Buffer.byteLength(credentials.aesKey)} bytes long; AIRudder's keys are 16, 24 or 32. Copy it again from AIRudder, or leave it empty if AIRudder does not encrypt your API calls.`,
		);
	}
	const options = requestOptions(request, credentials);
	const read = (answer: unknown) => readAirudderBody(answer as HttpAnswer, credentials.aesKey);
	let body: AirudderBody;
	try {
		body = read(await context.helpers.httpRequestWithAuthentication.call(context, API_CREDENTIAL_NAME, options));
		if (refusesToken(body)) {
			const token = await signIn(context.helpers.httpRequest, credentials);
			body = read(await context.helpers.httpRequest({ ...options, headers: { ...options.headers, Authorization: `Token ${token}` } }));
		}
	} catch (error) {
		if (isSignInFailure(error)) throw new NodeOperationError(context.getNode(), error.message);
		if (error instanceof UnreadableAnswer) {
			throw new NodeOperationError(context.getNode(), `AIRudder's answer to ${request.path} could not be used. ${error.message}`);
		}
		throw httpFailure(context, request, error);
	}
	if (body.code !== AIRUDDER_OK) throw airudderError(context, request, body);
	return body;
}
