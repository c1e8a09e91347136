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

/**
 * What makes two items the same delivery: the definition's key fields (call id and event), or,
 * when an item lacks one of them, the whole item, so two different items are never mistaken for
 * each other and dropped.
 */
export function deliveryIdentity(definition: CallbackDefinition, item: IDataObject): string {
	const fields = definition.deliveryKey ?? [];
	const values = fields.map((field) => item[itemKeyOf(field)]);
	if (fields.length > 0 && values.every(isPresent)) return digest(JSON.stringify(['fields', values]));
	return digest(JSON.stringify(['item', item]));
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
