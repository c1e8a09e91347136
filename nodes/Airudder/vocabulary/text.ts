import type { IDataObject } from 'n8n-workflow';

import { isPlainObject } from '../values';

const LITERAL_ESCAPE = /\\u([0-9a-fA-F]{4})|\\n/g;

/** Some AIRudder strings arrive double-escaped, e.g. "\\u610f\\u613f" or "line\\nline". */
export function decodeLiteralEscapes(value: string): string {
	if (!value.includes('\\')) return value;
	return value.replace(LITERAL_ESCAPE, (_escape: string, hex: string | undefined) =>
		hex === undefined ? '\n' : String.fromCharCode(parseInt(hex, 16)),
	);
}

function valueAsText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return decodeLiteralEscapes(value);
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One readable line per list entry: the text itself, or "key: value; key: value". */
export function entryAsText(entry: unknown): string {
	if (!isPlainObject(entry)) return valueAsText(entry);
	return Object.entries(entry)
		.map(([key, value]) => [key, valueAsText(value)])
		.filter(([, text]) => text !== '')
		.map(([key, text]) => `${key}: ${text}`)
		.join('; ');
}

/** A summary that renders each entry of a list on its own line. */
export function linePerEntry(render: (entry: IDataObject) => string): (value: unknown) => string {
	return (value) =>
		Array.isArray(value)
			? value
					.map((entry) => (isPlainObject(entry) ? render(entry) : valueAsText(entry)))
					.filter((line) => line !== '')
					.join('\n')
			: valueAsText(value);
}

/** Every list entry as its own line of text. */
export const entriesAsLines = linePerEntry(entryAsText);
