import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { airudderSaid, refusalBodyOf, type AirudderBody } from './apiAnswer';
import type { CallbackHeaders } from '../../Airudder/receive/callbackRequest';

/** The request a failure is about: its path, and the fields it sent, to name them back. */
export interface FailedRequest {
	path: string;
	fields: string[];
	/** The sign-in, whose fields come from the credential rather than from the node's parameters. */
	signIn?: boolean;
}

/** What AIRudder answered: the HTTP status when it was not 200, and its body when it could be read. */
interface Answered {
	status?: number;
	body?: AirudderBody;
}

export const COPY_KEYS_AGAIN = 'Copy the App Key and App Secret again from AIRudder into the AIRudder API credential.';

const RETRY_LATER = "Run the node again later, or turn on Retry On Fail in the node's Settings with a wait between tries.";

/** Field names in AIRudder's message: those the node sent, or any snake_case name it mentions. */
function fieldsNamed(message: string, sent: string[]): { sent: string[]; other: string[] } {
	const named = (field: string) => new RegExp(`\\b${field}\\b`).test(message);
	const other = (message.match(/\b[A-Za-z]+(?:_[A-Za-z]+)+\b/g) ?? []).filter((field) => !sent.includes(field));
	return { sent: sent.filter(named), other: [...new Set(other)] };
}

function requestAdvice(request: FailedRequest, body: AirudderBody | undefined): string {
	const message = body?.message ?? '';
	if (/decrypt|\bsigned\b/i.test(message)) return 'AIRudder could not decrypt the request: check the AES Key in the AIRudder API credential.';
	const { sent, other } = fieldsNamed(message, request.fields);
	const givenIn = request.signIn ? 'the AIRudder API credential' : 'the node';
	if (sent.length > 0) return `AIRudder named ${sent.join(' and ')}: check what you gave ${givenIn} for ${sent.length > 1 ? 'them' : 'it'}.`;
	if (request.signIn) return 'Check the Base URL, App Key and App Secret in the AIRudder API credential.';
	if (other.length > 0) {
		return `AIRudder asks for ${other.join(' and ')}, which the node does not send: AIRudder has not published this request, so use an HTTP Request node with the AIRudder API credential meanwhile.`;
	}
	return 'Check the values you gave the node; if the message names the token or your keys, check the AIRudder API credential.';
}

/** What to do about a refusal with this HTTP status, or with this code in a 200 answer. */
export function adviceFor(status: number, request: FailedRequest, body: AirudderBody | undefined): string {
	if ((status === 401 || status === 403) && request.signIn) {
		return `AIRudder refused the App Key or App Secret. ${COPY_KEYS_AGAIN}`;
	}
	if (status === 401 || status === 403) {
		return 'AIRudder refused the credential even after signing in again. Check the App Key and App Secret in the AIRudder API credential, and that your AIRudder account may use this API.';
	}
	if (status === 429) return `AIRudder is limiting how often it is called. ${RETRY_LATER}`;
	if (status >= 500 && status <= 599) return `AIRudder had a problem on its side. ${RETRY_LATER} If it persists, send AIRudder the code and message below.`;
	return requestAdvice(request, body);
}

/** How AIRudder answered, for a message: "HTTP 400, code 400", "code 500" or "HTTP 502". */
export function answeredAs({ status, body }: Answered): string {
	return [status === undefined ? '' : `HTTP ${status}`, body ? `code ${body.code}` : ''].filter(Boolean).join(', ');
}

function failure(context: IExecuteFunctions, request: FailedRequest, { status, body }: Answered): NodeApiError {
	const code = status ?? body?.code;
	const answered = answeredAs({ status, body });
	// AIRudder's own body goes on, never n8n's error: that one holds the request, and with it the token.
	return new NodeApiError(context.getNode(), (body?.sent ?? { status: answered }) as JsonObject, {
		message: `AIRudder refused ${request.path} (${answered}). ${adviceFor(Number(code), request, body)}`,
		...(body ? { description: airudderSaid(body) } : {}),
		httpCode: String(code),
	});
}

/** A 200 answer whose body carries an error code. */
export function refusalInBody(context: IExecuteFunctions, request: FailedRequest, body: AirudderBody): NodeApiError {
	return failure(context, request, { body });
}

/**
 * A request n8n's helper threw for: an HTTP status other than 2xx, after n8n's own renewal (n8n
 * signs in again and retries once on HTTP 401, so a 401 here was refused twice), or no answer.
 */
export function httpFailure(context: IExecuteFunctions, request: FailedRequest, error: unknown, aesKey: string): NodeApiError {
	type Response = { status?: unknown; data?: unknown; headers?: CallbackHeaders };
	const failed = error as { response?: Response; cause?: { response?: Response } };
	const response = failed.response ?? failed.cause?.response;
	const status = Number(response?.status);
	if (!response || !Number.isFinite(status)) {
		return new NodeApiError(context.getNode(), { status: 'no answer' } as JsonObject, {
			message: `AIRudder did not answer ${request.path}. Check the Base URL in the AIRudder API credential and that n8n can reach it.`,
		});
	}
	return failure(context, request, { status, body: refusalBodyOf({ body: response.data, headers: response.headers }, aesKey) });
}
