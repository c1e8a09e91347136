import type { IDataObject } from 'n8n-workflow';

import { headerValue, type CallbackBody, type CallbackHeaders, type IncomingCallback } from '../../Airudder/receive/callbackRequest';
import type { CallbackSecrets } from '../../Airudder/receive/callbackCredential';
import type { CallbackDefinition } from '../../Airudder/vocabulary/definition';
import { invalidItemOf } from '../../Airudder/receive/invalidItem';
import { toOutputItems, type ItemOptions } from '../../Airudder/output/items';
import { receiveCallback, type StoredChecks } from '../../Airudder/receive/pipeline';
import type { RefusalStage } from '../../Airudder/receive/refusals';
import { itemOptionsFor } from '../../Airudder/output/itemOptions';
import { isPlainObject } from '../../Airudder/values';

/**
 * Decode: a callback stored instead of received (an item of a trigger's Invalid output, or what
 * n8n's Webhook node passed on with Raw Body on) goes through the trigger's own receiving
 * pipeline, and gives exactly the items the trigger would have given.
 */

/** The Callback Type choice that reads the type from an Invalid item's callbackType. */
export const TYPE_FROM_THE_ITEM = 'fromItem';

/** An input item: its JSON and, from n8n's Webhook node with Raw Body on, the body's bytes. */
export interface StoredItem {
	json: IDataObject;
	rawBody?: Buffer;
}

export interface DecodeSettings {
	/** A definition's nodeName, or TYPE_FROM_THE_ITEM. */
	callbackType: string;
	/** Whether to check the signature where the item kept its header (n8n's Webhook node keeps every header). */
	checkSignature: boolean;
	/** As chosen; each callback type takes the ones that apply to it. */
	itemOptions: ItemOptions;
	secrets: CallbackSecrets;
	/** When a body from n8n's Webhook node counts as received, for the replay window. */
	now: Date;
}

/** Items the trigger would have emitted, and, for the second output, what still cannot be read. */
export interface Decoded {
	items: IDataObject[];
	unreadable: IDataObject[];
}

const CONNECT_INSTEAD = "Connect a trigger's Invalid output, or n8n's Webhook node with Raw Body on, to this node's input.";

function definitionFor(json: IDataObject, definitions: CallbackDefinition[], callbackType: string): CallbackDefinition {
	if (callbackType !== TYPE_FROM_THE_ITEM) {
		const chosen = definitions.find((definition) => definition.nodeName === callbackType);
		if (!chosen)
			throw new Error(`"${callbackType}" is not a callback type of this package. Pick one from the Callback Type list.`);
		return chosen;
	}
	const named = definitions.find((definition) => definition.displayName === json.callbackType);
	if (named) return named;
	// n8n shows the message with the item it failed on.
	throw new Error(
		typeof json.callbackType === 'string'
			? `"${json.callbackType}" is not a trigger of this package. Pick the callback type from the Callback Type list.`
			: 'This item does not say which trigger received it (it has no callbackType). Pick the callback type from the Callback Type list.',
	);
}

/** Whether the item is one of a trigger's Invalid output, which keeps the body as rawBody. */
const isInvalidItem = (json: IDataObject): boolean => 'rawBodyEncoding' in json && 'stage' in json;

/** The kept headers; a sheet or a data table that stored the item may hold them as JSON text. */
function headersOf(json: IDataObject): CallbackHeaders {
	if (typeof json.headers === 'string') {
		try {
			const parsed: unknown = JSON.parse(json.headers);
			return isPlainObject(parsed) ? (parsed as CallbackHeaders) : {};
		} catch {
			return {};
		}
	}
	return isPlainObject(json.headers) ? (json.headers as CallbackHeaders) : {};
}

const NO_RAW_BODY =
	"This item from n8n's Webhook node has no raw body, so the signature cannot be checked. Turn on Options → Raw Body in the Webhook node, or set Raw Body Binary Property to the binary property that holds the body.";

/** The body an Invalid item kept, as the pipeline reads it. */
function keptBody(json: IDataObject): CallbackBody {
	const text = String(json.rawBody);
	// A body n8n had already parsed was kept as its JSON text, which parses back to the same payload.
	return {
		rawBody: Buffer.from(text, json.rawBodyEncoding === 'base64' ? 'base64' : 'utf8'),
		parsedBody: undefined,
	};
}

/** The stored callback as the pipeline reads it, and which live checks it can still take. */
function storedCallbackOf(item: StoredItem, settings: DecodeSettings): { incoming: IncomingCallback; checks: StoredChecks } {
	const { json } = item;
	const headers = headersOf(json);
	const signatureKept = headerValue(headers, settings.secrets.signatureHeader) !== undefined;
	if (isInvalidItem(json)) {
		const receivedAt = new Date(String(json.receivedAt));
		return {
			incoming: {
				headers,
				query: {},
				ip: typeof json.senderIp === 'string' ? json.senderIp : undefined,
				receivedAt: Number.isNaN(receivedAt.getTime()) ? settings.now : receivedAt,
				readBody: async () => keptBody(json),
			},
			// The trigger checked the URL token on arrival and never keeps it; it hides the signature
			// header too, so the signature is checked only where someone put it back.
			checks: {
				urlToken: false,
				signature: settings.checkSignature && signatureKept,
			},
		};
	}
	if (!isPlainObject(json.headers) || (item.rawBody === undefined && json.body === undefined)) throw new Error(CONNECT_INSTEAD);
	const { secrets } = settings;
	const signsRawBytes = settings.checkSignature && secrets.signatureScheme !== 'none' && secrets.signedContent === 'raw';
	if (signsRawBytes && item.rawBody === undefined && typeof json.body !== 'string') throw new Error(NO_RAW_BODY);
	return {
		incoming: {
			headers,
			query: isPlainObject(json.query) ? (json.query as Record<string, unknown>) : {},
			ip: undefined,
			receivedAt: settings.now,
			readBody: async () => ({ rawBody: item.rawBody, parsedBody: json.body }),
		},
		// Straight from n8n's Webhook node, nothing was checked yet: a forgery must not pass.
		checks: { urlToken: true, signature: settings.checkSignature },
	};
}

/** The Invalid item of a refused callback kept no body: nothing can be decoded from it. */
function bodyNotKept(definition: CallbackDefinition, json: IDataObject, settings: DecodeSettings): Decoded {
	const stage = String(json.stage) as RefusalStage;
	const reason = `This callback was refused on arrival (stage "${stage}"), so its body was not kept and cannot be decoded. Correct what its reason names, then ask AIRudder to send the callback again.`;
	const incoming = {
		headers: headersOf(json),
		ip: typeof json.senderIp === 'string' ? json.senderIp : undefined,
		receivedAt: settings.now,
	};
	return {
		items: [],
		unreadable: [
			invalidItemOf(definition, incoming, settings.secrets.signatureHeader, {
				stage,
				reasons: [reason],
			}),
		],
	};
}

/**
 * One stored callback through the trigger's receiving pipeline. A forgery or an item that still
 * cannot be read goes to the second output, as the trigger's Invalid item would say it.
 */
export async function decodeStoredCallback(
	item: StoredItem,
	definitions: CallbackDefinition[],
	settings: DecodeSettings,
): Promise<Decoded> {
	const definition = definitionFor(item.json, definitions, settings.callbackType);
	if (isInvalidItem(item.json) && (item.json.rawBody === null || item.json.rawBody === undefined)) {
		return bodyNotKept(definition, item.json, settings);
	}
	const { incoming, checks } = storedCallbackOf(item, settings);
	const received = await receiveCallback(definition, incoming, {
		stored: checks,
		// The body was within n8n's limit when it arrived; a limit here would only lose it.
		maxBodyMb: Number.POSITIVE_INFINITY,
		readSecrets: async () => settings.secrets,
		testRun: false,
	});
	if (received.kind === 'valid') {
		return {
			items: toOutputItems(definition, received, itemOptionsFor(definition, settings.itemOptions)),
			unreadable: [],
		};
	}
	if (received.kind === 'invalid') return { items: [], unreadable: received.invalidOutput };
	const refused = invalidItemOf(definition, incoming, settings.secrets.signatureHeader, {
		stage: received.stage,
		reasons: [received.reason],
	});
	return { items: [], unreadable: [refused] };
}
