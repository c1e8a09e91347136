import type { IHttpRequestOptions } from 'n8n-workflow';

import { AIRUDDER_OK, airudderSaid, readAirudderBody, refusalBodyOf, UnreadableAnswer, type AirudderBody, type HttpAnswer } from './apiAnswer';
import type { ApiCredentials } from './apiCredential';
import { adviceFor, answeredAs, COPY_KEYS_AGAIN, type FailedRequest } from './apiFailure';
import { isPlainObject } from '../../Airudder/values';

export const SIGN_IN_PATH = '/service/cloud/auth';

/** n8n's plain request helper, as a credential's preAuthentication and a node both have it. */
export type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

/** Headers AIRudder's API asks for on every call (published with the sign-in). */
export const AIRUDDER_HEADERS = { 'Content-Type': 'application/json', 'User-Agent': 'Airudder' };

const SIGN_IN_FAILED = 'Signing in to AIRudder failed';

/**
 * A sign-in that failed, in a sentence that says what to fix, and AIRudder's code and message in
 * `description`; never with a key, secret or token. Known by its first words: n8n wraps what
 * preAuthentication throws in its own error, which keeps the message and the description but,
 * before n8n 2, not the original error.
 */
export class SignInError extends Error {
	readonly description?: string;

	constructor(advice: string, answer: { answered?: string; description?: string } = {}) {
		super(`${SIGN_IN_FAILED}${answer.answered ? ` (${answer.answered})` : ''}. ${advice}`);
		if (answer.description !== undefined) this.description = answer.description;
	}
}

export function isSignInFailure(error: unknown): error is Error {
	return error instanceof Error && error.message.startsWith(SIGN_IN_FAILED);
}

/**
 * Without the network error's code: n8n replaces a message that names one (ECONNREFUSED…) with its
 * own generic sentence, which would lose the advice.
 */
function unreachable(baseUrl: string): SignInError {
	return new SignInError(`Could not reach AIRudder at ${baseUrl}. Check the Base URL in the AIRudder API credential and that n8n can reach it.`);
}

const SIGN_IN_REQUEST: FailedRequest = { path: SIGN_IN_PATH, fields: ['APPKey', 'APPSecret'], signIn: true };

/** AIRudder's words with the credential's key, secret and AES key hidden, should AIRudder echo one. */
function saidWithoutSecrets(body: AirudderBody, credentials: ApiCredentials): string {
	const secrets = [credentials.appKey, credentials.appSecret, credentials.aesKey].filter((secret) => secret !== '');
	return secrets.reduce((said, secret) => said.split(secret).join('(hidden)'), airudderSaid(body));
}

/** A refusal, with an HTTP status other than 2xx or with an error code in a 200 answer, and what to do about it. */
function refused(credentials: ApiCredentials, status: number | undefined, body: AirudderBody | undefined): SignInError {
	const answer = { answered: answeredAs({ status, body }), ...(body ? { description: saidWithoutSecrets(body, credentials) } : {}) };
	if (status === 404) return new SignInError(`${credentials.baseUrl} has no AIRudder sign-in. Check the Base URL in the AIRudder API credential.`, answer);
	return new SignInError(adviceFor(status ?? body?.code ?? 0, SIGN_IN_REQUEST, body), answer);
}

function readSignInBody(answer: HttpAnswer, aesKey: string): AirudderBody {
	try {
		return readAirudderBody(answer, aesKey);
	} catch (error) {
		throw asSignInError(error);
	}
}

function asSignInError(error: unknown): unknown {
	return error instanceof UnreadableAnswer ? new SignInError(`Its answer could not be read. ${error.message}`) : error;
}

/**
 * Signs in to AIRudder's API and gives back the session token. The sign-in is sent in plain JSON:
 * whether AIRudder encrypts it is unpublished, so an answer marked `Is-Encrypted: 1` is decrypted
 * with the credential's AES key and a plain one is read as it is.
 */
export async function signIn(httpRequest: HttpRequest, credentials: ApiCredentials): Promise<string> {
	if (credentials.appKey === '' || credentials.appSecret === '') {
		throw new SignInError(`The App Key or App Secret is empty. ${COPY_KEYS_AGAIN}`);
	}
	let answer: HttpAnswer;
	try {
		answer = (await httpRequest({
			method: 'POST',
			url: `${credentials.baseUrl}${SIGN_IN_PATH}`,
			headers: AIRUDDER_HEADERS,
			body: JSON.stringify({ APPKey: credentials.appKey, APPSecret: credentials.appSecret }),
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as HttpAnswer;
	} catch {
		throw unreachable(credentials.baseUrl);
	}
	const status = answer.statusCode ?? 200;
	if (status < 200 || status > 299) throw refused(credentials, status, refusalBodyOf(answer, credentials.aesKey));
	const body = readSignInBody(answer, credentials.aesKey);
	if (body.code !== AIRUDDER_OK) throw refused(credentials, undefined, body);
	const token = isPlainObject(body.data) ? body.data.token : undefined;
	if (typeof token !== 'string' || token === '') {
		throw new SignInError('AIRudder sent no token. Check that the Base URL in the AIRudder API credential points at AIRudder’s API.');
	}
	return token;
}
