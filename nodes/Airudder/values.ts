import type { IDataObject } from 'n8n-workflow';

/**
 * A callback's keys are data. JSON.parse keeps "__proto__", "constructor" and "prototype" as
 * ordinary keys, but plain assignment of "__proto__" replaces an object's prototype, and a lookup
 * by a key an object does not own finds what its prototype has (Object's own constructor). So
 * every key that came from a callback is read and written with these.
 */

/** A JSON object, as opposed to a list, a plain value or null. */
export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value `record` itself holds under `key`; never one its prototype has. */
export function ownValue<T>(record: Partial<Record<string, T>>, key: string): T | undefined {
	return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets `key` as an own property of `record`, "__proto__" included. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
	if (key === '__proto__') {
		Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
	} else {
		record[key] = value;
	}
}

/**
 * Key names n8n itself drops when it copies an item from node to node (n8n-workflow's deepCopy),
 * so a callback's field of that name would vanish after the trigger: such a field is renamed
 * field_<name>, at every level, like the prefixed columns of any other field.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const renamedReservedKey = (key: string): string => (RESERVED_KEYS.has(key) ? `field_${key}` : key);

/**
 * `output` (zod's result for `input`) with every reserved key renamed, at every level. zod copies
 * the keys of a loose object by assignment, so an input's "__proto__" key became the prototype of
 * its output instead of a key: it is taken back from `input`. Objects without such keys are
 * returned as they are, in their key order.
 */
export function withReservedKeysRenamed<T>(output: T, input: unknown): T {
	if (typeof output !== 'object' || output === null) return output;
	if (Array.isArray(output)) {
		const entries = output.map((entry, index) => withReservedKeysRenamed(entry, Array.isArray(input) ? input[index] : undefined));
		return (entries.every((entry, index) => entry === output[index]) ? output : entries) as T;
	}
	const source = isPlainObject(input) ? input : {};
	const record = output as Record<string, unknown>;
	const keys = Object.keys(record);
	const lostProto = Object.hasOwn(source, '__proto__') && !Object.hasOwn(record, '__proto__');
	if (lostProto) keys.splice(Object.keys(source).indexOf('__proto__'), 0, '__proto__');
	let changed = lostProto || Object.getPrototypeOf(record) !== Object.prototype;
	const renamed: Record<string, unknown> = {};
	for (const key of keys) {
		const value = key === '__proto__' && lostProto ? source.__proto__ : record[key];
		const copied = withReservedKeysRenamed(value, ownValue(source, key));
		const name = renamedReservedKey(key);
		changed ||= copied !== value || name !== key;
		setOwn(renamed, name, copied);
	}
	return (changed ? renamed : output) as T;
}
