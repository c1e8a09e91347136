import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { CallbackDefinition } from '../vocabulary/definition';
import { MAX_REMEMBERED_DELIVERIES } from '../limits';
import { itemKeyOf } from '../values';


/** Key → Unix seconds of the first delivery. Lives in the node's workflow static data. */
export type DeliveryMemory = Record<string, number>;

function digest(text: string): string {
	return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

function isPresent(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}

/** The values of the definition's key fields in the item, or undefined when one is missing. */
function keyFieldValues(definition: CallbackDefinition, item: IDataObject): unknown[] | undefined {
	const fields = definition.deliveryKey ?? [];
	const values = fields.map((field) => item[itemKeyOf(field)]);
	return fields.length > 0 && values.every(isPresent) ? values : undefined;
}

function wholeItemDigest(item: IDataObject): string {
	return digest(JSON.stringify(['item', item]));
}

/**
 * What makes two items the same delivery: the definition's key fields (call id and event), or,
 * when an item lacks one of them, the whole item, so two different items are never mistaken for
 * each other and dropped.
 */
export function deliveryIdentity(definition: CallbackDefinition, item: IDataObject): string {
	const values = keyFieldValues(definition, item);
	return values ? digest(JSON.stringify(['fields', values])) : wholeItemDigest(item);
}

/** A key field's value as it reads in a cell, with the separator escaped so keys stay distinct. */
function keyPart(value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text.replace(/[\\|]/g, '\\$&');
}

/**
 * The `delivery_key` column: the same delivery as deliveryIdentity, written so a person can read
 * it and a sheet or table can match on it. The key fields' values joined by `|` (one field: the
 * call id itself), because that is what the user sees in the call's other columns and what a
 * lookup by the API gives again; the whole item's digest when a key field is missing, because a
 * whole call is far too long for a cell to match on.
 */
export function deliveryKeyOf(definition: CallbackDefinition, item: IDataObject): string {
	const values = keyFieldValues(definition, item);
	return values ? values.map(keyPart).join('|') : wholeItemDigest(item);
}

/**
 * The `delivery_key` of a whole callback ("One Item per Callback"): a digest of its items' keys,
 * so a resent callback has the same key however many calls it carries.
 */
export function callbackDeliveryKeyOf(definition: CallbackDefinition, items: IDataObject[]): string {
	return digest(JSON.stringify(['callback', items.map((item) => deliveryKeyOf(definition, item))]));
}

function forgetOlderThan(memory: DeliveryMemory, oldestKept: number): void {
	for (const key of Object.keys(memory)) {
		if (memory[key] < oldestKept) delete memory[key];
	}
}

/** Keys keep insertion order, which is arrival order, so the first key is the oldest. */
function forgetOldest(memory: DeliveryMemory): void {
	for (const key in memory) {
		delete memory[key];
		return;
	}
}

/**
 * A filter for `toOutputItems` that drops items delivered before and remembers the new ones.
 * `memory` is changed in place: n8n saves a node's static data when it changes.
 */
export function skipRepeatedDeliveries(
	definition: CallbackDefinition,
	memory: DeliveryMemory,
	now: Date,
	rememberHours: number,
): (item: IDataObject) => boolean {
	const nowSeconds = Math.floor(now.getTime() / 1000);
	forgetOlderThan(memory, nowSeconds - rememberHours * 3600);
	let size = Object.keys(memory).length;
	return (item) => {
		const key = deliveryIdentity(definition, item);
		if (key in memory) return false;
		memory[key] = nowSeconds;
		size += 1;
		while (size > MAX_REMEMBERED_DELIVERIES) {
			forgetOldest(memory);
			size -= 1;
		}
		return true;
	};
}
