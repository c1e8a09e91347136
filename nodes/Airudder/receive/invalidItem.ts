import type { IDataObject } from 'n8n-workflow';

import { decodeUtf8, headersWithoutSecrets, type IncomingCallback } from './callbackRequest';
import type { CallbackDefinition } from '../vocabulary/definition';
import type { RefusalStage } from './refusals';

/**
 * The fields of an item on the Invalid output, in output order, with what the field reference says
 * about them. Every Invalid item carries all of them, null where one does not apply, so an alert
 * or a sheet fed by that output always finds the same columns.
 */
export const INVALID_ITEM_FIELDS = [
	{
		name: 'reason',
		type: 'text',
		description: 'What went wrong and what to change, one sentence per problem, naming the field and what AIRudder should send',
	},
	{
		name: 'validationIssues',
		type: 'list',
		description: 'For developers: the same problems as the schema validator (zod) reports them, with code, path and message. Null when it reported none',
	},
	{
		name: 'stage',
		type: 'text',
		description:
			'Where it failed: decrypt, integrity, parse or validate. While the editor listens for a test event, a refused callback shows here too, with ip, token, signature, size, read or replay, and a trigger that checks nothing adds an item with setup',
	},
	{ name: 'callbackType', type: 'text', description: 'The trigger that received it' },
	{ name: 'receivedAt', type: 'date-time', description: 'When n8n received it (ISO-8601, UTC)' },
	{ name: 'senderIp', type: 'text', description: 'The address it came from, as n8n sees it: the one to put in Allowed IP Addresses' },
	{ name: 'encrypted', type: 'boolean', description: 'Whether the body was AES-encrypted' },
	{ name: 'body', type: 'object', description: 'The parsed body, when it is JSON that does not match the format. Null otherwise' },
	{ name: 'decryptedBody', type: 'text', description: 'The decrypted body, when it is not JSON. Null otherwise' },
	{ name: 'rawBody', type: 'text', description: 'The body exactly as received (base64 when it is not text). Null for a refused callback' },
	{ name: 'rawBodyEncoding', type: 'text', description: 'utf8, base64, or json when n8n passed the body already parsed' },
	{ name: 'headers', type: 'object', description: 'The request headers, with secrets removed; a header whose name n8n refuses is renamed as a field of that name is (Callee is callee_number)' },
] as const;

type InvalidItemField = (typeof INVALID_ITEM_FIELDS)[number]['name'];

type InvalidStage = 'decrypt' | 'integrity' | 'parse' | 'validate';

/** A genuine callback that cannot be read: it becomes an item on the Invalid output. */
export interface Unreadable {
	kind: 'unreadable';
	stage: InvalidStage;
	reasons: string[];
	details?: Partial<Record<InvalidItemField, IDataObject[string]>>;
}

/** The body of a genuine callback, as the Invalid item keeps it so that it can be received again. */
export interface KeptBody {
	bytes: Buffer | undefined;
	parsedBody: unknown;
	encrypted: boolean;
}

function keptBodyFields({ bytes, parsedBody, encrypted }: KeptBody): Partial<Record<InvalidItemField, IDataObject[string]>> {
	const text = bytes && decodeUtf8(bytes);
	if (!bytes) return { encrypted, rawBody: JSON.stringify(parsedBody ?? null), rawBodyEncoding: 'json' };
	return text === undefined
		? { encrypted, rawBody: bytes.toString('base64'), rawBodyEncoding: 'base64' }
		: { encrypted, rawBody: text, rawBodyEncoding: 'utf8' };
}

/** What an Invalid item says: where and why, and for a genuine callback its details and body. */
interface InvalidItemProblem {
	stage: InvalidStage | RefusalStage;
	reasons: string[];
	details?: Unreadable['details'];
	/**
	 * Only for a genuine callback. A refused one failed a check, so anyone who knows the URL could
	 * have sent it: its body and query never reach the item (the query carries the URL token).
	 */
	body?: KeptBody;
}

/**
 * The Invalid item of a callback that was refused or cannot be read: every field in order, null
 * where it does not apply. Secret headers and the signature never reach it.
 */
export function invalidItemOf(
	definition: CallbackDefinition,
	incoming: Pick<IncomingCallback, 'headers' | 'ip' | 'receivedAt'>,
	signatureHeader: string,
	problem: InvalidItemProblem,
): IDataObject {
	const values: Partial<Record<InvalidItemField, IDataObject[string]>> = {
		reason: problem.reasons.join(' '),
		stage: problem.stage,
		callbackType: definition.displayName,
		receivedAt: incoming.receivedAt.toISOString(),
		senderIp: incoming.ip,
		...problem.details,
		...(problem.body ? keptBodyFields(problem.body) : {}),
		headers: headersWithoutSecrets(incoming.headers, signatureHeader),
	};
	const item: IDataObject = {};
	for (const { name } of INVALID_ITEM_FIELDS) item[name] = values[name] ?? null;
	return item;
}
