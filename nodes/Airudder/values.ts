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
 * zod copies the keys of a loose object by assignment, so a "__proto__" key of the input becomes
 * the prototype of zod's output instead of one of its keys. This gives every object of `output`
 * back the "__proto__" key its counterpart in `input` owns, and Object's prototype. Values zod
 * did not change are `input`'s own, so the walk stops where the two are the same object.
 */
export function withOwnKeysOf<T>(output: T, input: unknown): T {
	if (output === input || typeof output !== 'object' || output === null || typeof input !== 'object' || input === null) return output;
	if (Array.isArray(output)) {
		if (Array.isArray(input)) output.forEach((entry, index) => withOwnKeysOf(entry, input[index]));
		return output;
	}
	const record = output as Record<string, unknown>;
	const source = input as Record<string, unknown>;
	if (Object.hasOwn(source, '__proto__') && !Object.hasOwn(record, '__proto__')) {
		Object.setPrototypeOf(record, Object.prototype);
		setOwn(record, '__proto__', source.__proto__);
	}
	for (const key of Object.keys(record)) {
		if (Object.hasOwn(source, key)) withOwnKeysOf(record[key], source[key]);
	}
	return output;
}
