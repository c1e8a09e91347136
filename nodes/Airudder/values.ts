import type { IDataObject } from 'n8n-workflow';

/** A JSON object, as opposed to a list, a plain value or null. */
export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
