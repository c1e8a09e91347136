import { NodeOperationError, type IDataObject, type IExecuteFunctions, type IHttpRequestOptions } from 'n8n-workflow';

import { AIRUDDER_OK, readAirudderBody, refusesToken, UnreadableAnswer, type AirudderBody, type HttpAnswer } from './apiAnswer';
import { httpFailure, refusalInBody, type FailedRequest } from './apiFailure';
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
 * the whole GET query string, both exactly as AIRudder's example sends them: the query is the bare
 * base64 (its `+`, `/` and `=` are legal in a query and reach AIRudder unchanged), and the body goes
 * as bytes, since n8n's request helper JSON-encodes a string body that is not JSON when the
 * content type is JSON, which would put the ciphertext in quotes.
 */
function requestOptions(request: ApiRequest, credentials: ApiCredentials): IHttpRequestOptions {
	const plaintext = request.method === 'GET' ? new URLSearchParams(request.query).toString() : JSON.stringify(request.body);
	const encrypted = credentials.aesKey !== '';
	const sent = encrypted ? encryptAirudder(plaintext, credentials.aesKey) : plaintext;
	const url = `${credentials.baseUrl}${request.path}`;
	return {
		method: request.method,
		url: request.method === 'GET' ? `${url}?${sent}` : url,
		headers: { ...AIRUDDER_HEADERS, ...(encrypted ? { 'Is-Encrypted': '1', Signed: sha256Hex(plaintext) } : {}) },
		...(request.method === 'POST' ? { body: Buffer.from(sent, 'utf8') } : {}),
		json: false,
		encoding: 'text',
		returnFullResponse: true,
	};
}

/** AIRudder's words on a failed sign-in, kept by SignInError and by n8n's error around it. */
function signInDescription(error: Error): { description?: string } {
	const { description } = error as { description?: unknown };
	return typeof description === 'string' && description !== error.message ? { description } : {};
}

const failed = (request: ApiRequest): FailedRequest => ({
	path: request.path,
	fields: Object.keys(request.method === 'GET' ? request.query : request.body),
});

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
		if (isSignInFailure(error)) throw new NodeOperationError(context.getNode(), error.message, signInDescription(error));
		if (error instanceof UnreadableAnswer) {
			throw new NodeOperationError(context.getNode(), `AIRudder's answer to ${request.path} could not be used. ${error.message}`);
		}
		throw httpFailure(context, failed(request), error, credentials.aesKey);
	}
	if (body.code !== AIRUDDER_OK) throw refusalInBody(context, failed(request), body);
	return body;
}
