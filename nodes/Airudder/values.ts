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
 * Key names an item cannot keep. n8n-workflow's deepCopy drops "__proto__", "constructor" and
 * "prototype" when it copies an item from node to node, and n8n's expression sandbox refuses the
 * names below at any depth (n8n-workflow's `unsafeObjectProperties`: "callee", "caller" and
 * "arguments" since 1.120.21 and 2.30.2), so a column of that name could not be mapped by dragging
 * it. The union over every n8n we support, and over what they may add: a name n8n allows costs
 * nothing when renamed.
 */
const REFUSED_KEYS = new Set([
	'__proto__',
	'prototype',
	'constructor',
	'getPrototypeOf',
	'setPrototypeOf',
	'getOwnPropertyDescriptor',
	'getOwnPropertyDescriptors',
	'defineProperty',
	'defineProperties',
	'mainModule',
	'binding',
	'_linkedBinding',
	'_load',
	'prepareStackTrace',
	'__lookupGetter__',
	'__lookupSetter__',
	'__defineGetter__',
	'__defineSetter__',
	'caller',
	'callee',
	'arguments',
	'getBuiltinModule',
	'dlopen',
	'execve',
	'loadEnvFile',
]);

/**
 * A phone number keeps a name that says so, the one AIRudder gives it in other callbacks; where
 * AIRudder sends the whole contact under "callee" (a Custom API node's push), it is the contact.
 */
const READABLE_NAMES: Partial<Record<string, string>> = { callee: 'callee_number', caller: 'caller_number' };
const READABLE_OBJECT_NAMES: Partial<Record<string, string>> = { callee: 'contact' };

/**
 * Every supported n8n (1.123.81, 2.8.4, 2.41.1) also refuses an expression whose text matches
 * /\.\s*constructor/ (Expression's `constructorValidation`), whatever the engine. The editor
 * writes a key after a dot when it is an identifier (its `validJsIdNameRegex`), else as a quoted
 * string in brackets, so `$json.constructorId` and `$json['a.constructor']` are refused while
 * `$json['constructor id']` is not.
 */
const CONSTRUCTOR_CALL = /\.\s*constructor/;
const DRAGGED_AFTER_A_DOT = /^[a-zA-Z_$][a-zA-Z0-9_$]*$/;

const isRefusedKey = (key: string): boolean =>
	REFUSED_KEYS.has(key) || CONSTRUCTOR_CALL.test(DRAGGED_AFTER_A_DOT.test(key) ? `.${key}` : key);

/** field_<name>, with the dot of any ".constructor" in the name made "_" so that the sandbox takes it. */
const prefixedName = (key: string): string => `field_${key.replace(/\.(?=\s*constructor)/g, '_')}`;

/**
 * The name an item gives a field of AIRudder's: its own, unless n8n would drop or refuse it; then
 * "callee" is callee_number (contact when it holds an object), "caller" caller_number, and any
 * other field_<name> (a ".constructor" in it made "_constructor"), like the prefixed columns of
 * other fields. Definitions name AIRudder's fields; where they read an item, this turns the name
 * into the item's.
 */
export function itemKeyOf(key: string, holdsObject = false): string {
	if (!isRefusedKey(key)) return key;
	return ownValue(holdsObject ? READABLE_OBJECT_NAMES : READABLE_NAMES, key) ?? prefixedName(key);
}

/** itemKeyOf among an object's keys: where the readable name is taken already, field_<name>. */
export function itemKeyAmong(key: string, siblings: object, holdsObject = false): string {
	const name = itemKeyOf(key, holdsObject);
	return name !== key && name !== prefixedName(key) && Object.hasOwn(siblings, name) ? prefixedName(key) : name;
}

/**
 * `output` (zod's result for `input`) with every key n8n would drop or refuse renamed as items
 * name it, at every level. zod copies the keys of a loose object by assignment, so an input's
 * "__proto__" key became the prototype of its output instead of a key: it is taken back from
 * `input`. Objects without such keys are returned as they are, in their key order.
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
		const name = itemKeyAmong(key, record, isPlainObject(copied));
		changed ||= copied !== value || name !== key;
		setOwn(renamed, name, copied);
	}
	return (changed ? renamed : output) as T;
}
