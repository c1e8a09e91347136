import type { IDataObject } from 'n8n-workflow';

import { itemKeyAmong, setOwn } from '../values';

export type CallbackHeaders = Record<string, string | string[] | undefined>;

/** The body as n8n hands it over. */
export interface CallbackBody {
	/** `req.rawBody` as n8n captured it: the exact bytes, if available. */
	rawBody: unknown;
	/** n8n's parsed body, used only when the raw bytes are missing. */
	parsedBody: unknown;
}

/**
 * One callback, independent of n8n's request object: a live request, or a body stored earlier
 * (an Invalid item) that is received again.
 */
export interface IncomingCallback {
	headers: CallbackHeaders;
	query: Record<string, unknown>;
	/** Client address as n8n sees it, which honours n8n's proxy-trust settings. */
	ip: string | undefined;
	receivedAt: Date;
	/**
	 * Reads the body, only once the sender may call. It throws as n8n's body reader does: an error
	 * of type `entity.too.large` when the body is over n8n's limit, another when the connection broke.
	 */
	readBody: () => Promise<CallbackBody>;
}

/** Headers that can carry credentials; they never reach an output item. */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-n8n-api-key'];

export function headerValue(headers: CallbackHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/**
 * The headers without those that carry credentials or the signature, each named as an item names
 * a payload key, so that a header n8n's expression sandbox refuses (a "callee" header, say) can
 * still be dragged. The headers a stored callback is read again by (Is-Encrypted, Signed) keep
 * their names.
 */
export function headersWithoutSecrets(headers: CallbackHeaders, signatureHeader: string): IDataObject {
	const hidden = [...SECRET_HEADERS, signatureHeader.toLowerCase()];
	const result: IDataObject = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined && !hidden.includes(name.toLowerCase())) setOwn(result, itemKeyAmong(name, headers), value);
	}
	return result;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text, or undefined when they are not UTF-8. */
export function decodeUtf8(bytes: Buffer): string | undefined {
	try {
		return utf8.decode(bytes);
	} catch {
		return undefined;
	}
}

/** The exact bytes of the body, when n8n kept them or passed the body as text. */
export function bodyBytes({ rawBody, parsedBody }: CallbackBody): Buffer | undefined {
	if (Buffer.isBuffer(rawBody)) return rawBody;
	if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
	if (typeof parsedBody === 'string') return Buffer.from(parsedBody, 'utf8');
	return undefined;
}
