/**
 * Keys are data. A callback may carry the keys "__proto__", "constructor" and "prototype" anywhere
 * (JSON.parse keeps them as ordinary keys): at the top level, in an entry of the list a callback
 * splits into, in a nested object and in the entries of a list. Put at each of those places in
 * every trigger's sample, such a key must come out as an ordinary field named field_<key> (n8n
 * drops the bare names when it copies an item between nodes), flattened into prefixed columns as
 * any field the schema does not know, in every output mode; no item may get another prototype, and
 * Object.prototype must stay untouched.
 */
import type { IDataObject } from 'n8n-workflow';

import { readCallbackSecrets } from '../nodes/Airudder/receive/callbackCredential';
import { decodeStoredCallback, TYPE_FROM_THE_ITEM } from '../nodes/AirudderAction/helpers/storedCallback';
import { callbackDefinitions } from '../nodes/catalogue';

import { itemNameOf, triggersUnderTest, type TriggerUnderTest } from './helpers/triggers.cjs';
import { DEFAULT_SECRETS, deliver, encrypted } from './helpers/webhook.cjs';

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype'];
const triggers = triggersUnderTest();

type Level = 'top' | 'entry' | 'nested' | 'list';

const isObject = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sets `key` as the object's own key, as JSON.parse does, even for "__proto__". */
function defineOwn(target: IDataObject, key: string, value: unknown): void {
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The object whose fields become an item's fields: the first split entry, the wrapped object, or the payload. */
function itemFieldsIn({ definition }: TriggerUnderTest, payload: IDataObject): IDataObject {
	if (definition.split) return (payload[definition.split.field] as IDataObject[])[0];
	if (definition.unwrap) return payload[definition.unwrap.field] as IDataObject;
	return payload;
}

/** A field of the item's own that holds an object flattened into prefixed columns. */
function nestedObjectField(trigger: TriggerUnderTest, payload: IDataObject): string | undefined {
	const fields = itemFieldsIn(trigger, payload);
	const summarised = Object.keys(trigger.definition.summaries ?? {});
	return Object.keys(fields).find((field) => isObject(fields[field]) && !summarised.includes(field));
}

/** A field of the item's own that holds a list of objects. */
function listOfObjectsField(trigger: TriggerUnderTest, payload: IDataObject): string | undefined {
	const fields = itemFieldsIn(trigger, payload);
	return Object.keys(fields).find((field) => Array.isArray(fields[field]) && isObject((fields[field] as unknown[])[0]));
}

interface Case {
	className: string;
	key: string;
	level: Level;
	trigger: TriggerUnderTest;
	/** The field that holds the hostile key, for the nested and list levels. */
	holder?: string;
	body: string;
}

function caseFor(trigger: TriggerUnderTest, key: string, level: Level): Case | undefined {
	const payload = JSON.parse(JSON.stringify(trigger.definition.sample)) as IDataObject;
	const marker = { marker: level };
	let holder: string | undefined;
	if (level === 'top') defineOwn(payload, key, marker);
	if (level === 'entry') {
		if (!trigger.definition.split) return undefined;
		defineOwn(itemFieldsIn(trigger, payload), key, marker);
	}
	if (level === 'nested') {
		holder = nestedObjectField(trigger, payload);
		if (!holder) return undefined;
		defineOwn(itemFieldsIn(trigger, payload)[holder] as IDataObject, key, marker);
	}
	if (level === 'list') {
		holder = listOfObjectsField(trigger, payload);
		if (!holder) return undefined;
		defineOwn((itemFieldsIn(trigger, payload)[holder] as IDataObject[])[0], key, marker);
	}
	return { className: trigger.className, key, level, trigger, holder, body: JSON.stringify(payload) };
}

const cases = triggers.flatMap((trigger) =>
	HOSTILE_KEYS.flatMap((key) => (['top', 'entry', 'nested', 'list'] as Level[]).map((level) => caseFor(trigger, key, level))),
).filter((candidate): candidate is Case => candidate !== undefined);

/** Every object inside `value` whose prototype is not Object's, by path. */
function foreignPrototypes(value: unknown, path = 'item'): string[] {
	if (Array.isArray(value)) return value.flatMap((entry, index) => foreignPrototypes(entry, `${path}[${index}]`));
	if (typeof value !== 'object' || value === null) return [];
	const own = Object.getPrototypeOf(value) === Object.prototype ? [] : [path];
	return [...own, ...Object.keys(value).flatMap((key) => foreignPrototypes((value as IDataObject)[key], `${path}.${key}`))];
}

function ownField(record: unknown, key: string): unknown {
	return isObject(record) && Object.hasOwn(record, key) ? record[key] : 'not an own field';
}

describe('the places a hostile key is put', () => {
	it('reach every trigger at the top level, every splitting trigger in an entry, and nested objects and lists where samples have them', () => {
		const levelsOf = (level: Level) => new Set(cases.filter((candidate) => candidate.level === level).map(({ className }) => className));
		expect(levelsOf('top').size).toBe(triggers.length);
		expect(levelsOf('entry')).toEqual(new Set(triggers.filter(({ definition }) => definition.split).map(({ className }) => className)));
		expect(levelsOf('entry').size).toBeGreaterThan(0);
		// The samples that carry a nested object, and a list of objects, in their items' own fields.
		expect(levelsOf('nested')).toEqual(
			new Set([
				'AirudderChatbotSessionReportTrigger',
				'AirudderInboundCallEndedTrigger',
				'AirudderInboundCallSuccessTrigger',
				'AirudderInboundTransferSucceededTrigger',
				'AirudderPredictiveDialerTrigger',
				'AirudderTaskCallEndedTrigger',
				'AirudderWorkflowCallCompletedTrigger',
				'AirudderWorkflowChatbotSessionEndedTrigger',
				'AirudderWorkflowCustomApiPushTrigger',
			]),
		);
		expect(levelsOf('list')).toEqual(
			new Set([
				'AirudderChatbotBotReplyTrigger',
				'AirudderChatbotSessionEndedTrigger',
				'AirudderChatbotSessionReportTrigger',
				'AirudderChatbotTransferRequestedTrigger',
				'AirudderInboundCallEndedTrigger',
				'AirudderInboundCallSuccessTrigger',
				'AirudderInboundTransferSucceededTrigger',
				'AirudderTaskCallEndedTrigger',
				'AirudderWorkflowCallCompletedTrigger',
				'AirudderWorkflowChatbotSessionEndedTrigger',
				'AirudderWorkflowListCompletedTrigger',
				'AirudderWorkflowStatusChangedTrigger',
			]),
		);
	});
});

describe.each(cases)('$className, "$key" at level $level', ({ trigger, key, level, holder, body }) => {
	const modes = [
		{ name: 'one item per call, simplified', parameters: { simplify: true } },
		{ name: 'one item per call, as sent', parameters: { simplify: false } },
		...(trigger.definition.split ? [{ name: 'one item per callback', parameters: { outputMode: 'perCallback' } }] : []),
	];

	it.each(modes)('$name: an ordinary column, own prototypes, Object.prototype untouched', async ({ name, parameters }) => {
		const run = await deliver(trigger.node, { body, parameters });
		expect(run.invalid).toEqual([]);
		expect(run.main.length).toBeGreaterThan(0);
		expect(Object.keys(Object.prototype)).toEqual([]);
		expect(({} as IDataObject).marker).toBeUndefined();
		for (const item of run.main) {
			expect(foreignPrototypes(item)).toEqual([]);
			expect(Object.keys(item).filter((column) => column === 'marker' || column.includes('function'))).toEqual([]);
		}
		const [first] = run.main;
		const marker = { marker: level };
		const renamed = `field_${key}`;
		// What items call the holder: a contact under "callee" is "contact" there.
		const itemHolder = holder && itemNameOf(holder, itemFieldsIn(trigger, JSON.parse(body) as IDataObject)[holder]);
		for (const item of run.main) expect(JSON.stringify(item)).not.toContain(`"${key}":`);
		if (name === 'one item per call, simplified') {
			if (level === 'top') for (const item of run.main) expect(ownField(item, `${renamed}_marker`)).toBe('top');
			if (level === 'entry') expect(ownField(first, `${renamed}_marker`)).toBe('entry');
			if (level === 'nested') expect(ownField(first, `${itemHolder}_${renamed}_marker`)).toBe('nested');
			// A list is one cell of text, a line per entry: as it is, or as the definition's summary renders it.
			const entries = (itemFieldsIn(trigger, JSON.parse(body) as IDataObject)[holder!] ?? []) as unknown[];
			if (level === 'list' && trigger.definition.summaries?.[holder!]) expect(String(first[itemHolder!]).split('\n')).toHaveLength(entries.length);
			if (level === 'list' && !trigger.definition.summaries?.[holder!]) expect(first[itemHolder!]).toContain(`${renamed}: {"marker":"list"}`);
		} else if (name === 'one item per call, as sent') {
			if (level === 'top') for (const item of run.main) expect(ownField(item, renamed)).toEqual(marker);
			if (level === 'entry') expect(ownField(first, renamed)).toEqual(marker);
			if (level === 'nested') expect(ownField(first[itemHolder!], renamed)).toEqual(marker);
			if (level === 'list') expect(ownField((first[itemHolder!] as IDataObject[])[0], renamed)).toEqual(marker);
		} else {
			const fields = itemFieldsIn(trigger, first);
			if (level === 'top') expect(ownField(first, renamed)).toEqual(marker);
			if (level === 'entry') expect(ownField(fields, renamed)).toEqual(marker);
			if (level === 'nested') expect(ownField(fields[itemHolder!], renamed)).toEqual(marker);
			if (level === 'list') expect(ownField((fields[itemHolder!] as IDataObject[])[0], renamed)).toEqual(marker);
		}
	});
});

/**
 * A request's header names are data too: an Invalid item keeps the headers, so a header n8n's
 * expression sandbox refuses is renamed as a payload key of that name is, and the item still
 * decodes (Is-Encrypted and Signed keep their names).
 */
describe.each(triggers.map((trigger) => [trigger.className, trigger] as const))('%s, headers named callee, caller, arguments and binding', (_className, trigger) => {
	const sample = JSON.stringify(trigger.definition.sample);
	const refusedNames = { Callee: 'a callee header', Caller: 'a caller header', Arguments: 'an arguments header', Binding: 'a binding header' };
	const request = { ...encrypted(sample), headers: { ...encrypted(sample).headers, ...refusedNames } };

	it('come out renamed on the Invalid item, beside the headers that are not refused', async () => {
		const run = await deliver(trigger.node, { ...request, secrets: { aesSecretKey: 'wrongwrongwrong!' } });
		expect(run.invalid).toHaveLength(1);
		const { signed, ...headers } = run.invalid[0].headers as IDataObject;
		expect(signed).toMatch(/^[0-9a-f]{64}$/);
		expect(headers).toEqual({
			'content-type': 'application/json',
			'user-agent': 'Airudder',
			'is-encrypted': '1',
			callee_number: 'a callee header',
			caller_number: 'a caller header',
			field_arguments: 'an arguments header',
			field_binding: 'a binding header',
		});
	});

	it('the Invalid item decodes, once the AES key is right, to the items the trigger gives', async () => {
		const invalidItem = (await deliver(trigger.node, { ...request, secrets: { aesSecretKey: 'wrongwrongwrong!' } })).invalid[0];
		const live = await deliver(trigger.node, request);
		const decoded = await decodeStoredCallback({ json: invalidItem }, callbackDefinitions, {
			callbackType: TYPE_FROM_THE_ITEM,
			checkSignature: true,
			itemOptions: { mode: 'perItem', simplify: true, accountTimeZone: 'Asia/Shanghai' },
			secrets: readCallbackSecrets(DEFAULT_SECRETS),
			now: new Date(),
		});
		expect(live.main.length).toBeGreaterThan(0);
		expect(decoded).toEqual({ items: live.main, unreadable: [] });
	});
});
