import type { IDataObject } from 'n8n-workflow';

/**
 * The fields of an item on the Invalid output, in output order, with what the field reference says
 * about them. Every Invalid item carries all of them, null where one does not apply, so an alert
 * or a sheet fed by that output always finds the same columns.
 */
export const INVALID_ITEM_FIELDS = [
	{ name: 'reason', type: 'text', description: 'What went wrong, one sentence per problem, naming the field and what AIRudder should send' },
	{ name: 'reasons', type: 'list', description: 'The same sentences, one list entry per problem' },
	{
		name: 'validationIssues',
		type: 'list',
		description: 'For developers: the same problems as the schema validator (zod) reports them, with code, path and message. Null when it reported none',
	},
	{
		name: 'stage',
		type: 'text',
		description:
			'Where it failed: decrypt, integrity, parse or validate. While the editor listens for a test event, a refused callback shows here too, with ip, token, signature, size, read or replay',
	},
	{ name: 'callbackType', type: 'text', description: 'The trigger that received it' },
	{ name: 'receivedAt', type: 'date-time', description: 'When n8n received it (ISO-8601, UTC)' },
	{ name: 'senderIp', type: 'text', description: 'The address it came from, as n8n sees it: the one to put in Allowed IP Addresses' },
	{ name: 'encrypted', type: 'boolean', description: 'Whether the body was AES-encrypted' },
	{ name: 'body', type: 'object', description: 'The parsed body, when it is JSON that does not match the format. Null otherwise' },
	{ name: 'decryptedBody', type: 'text', description: 'The decrypted body, when it is not JSON. Null otherwise' },
	{ name: 'rawBody', type: 'text', description: 'The body exactly as received (base64 when it is not text). Null for a refused callback' },
	{ name: 'rawBodyEncoding', type: 'text', description: 'utf8, base64, or json when n8n passed the body already parsed' },
	{ name: 'headers', type: 'object', description: 'The request headers, with secrets removed' },
] as const;

export type InvalidItemField = (typeof INVALID_ITEM_FIELDS)[number]['name'];

/** An Invalid item: every field in order, null where `values` has none. */
export function invalidItem(values: Partial<Record<InvalidItemField, IDataObject[string]>>): IDataObject {
	const item: IDataObject = {};
	for (const { name } of INVALID_ITEM_FIELDS) item[name] = values[name] ?? null;
	return item;
}
