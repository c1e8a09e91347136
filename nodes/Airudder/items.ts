import type { IDataObject } from 'n8n-workflow';

import type { CallbackDefinition, TimeFieldKind } from './definition';
import { epochToIso, localTimeToIso } from './time';

export type OutputMode = 'perItem' | 'perCallback';

export interface ItemOptions {
	mode: OutputMode;
	simplify: boolean;
	accountTimeZone: string;
}

const LITERAL_ESCAPE = /\\u([0-9a-fA-F]{4})|\\n/g;

/** Some AIRudder strings arrive double-escaped, e.g. "\\u610f\\u613f" or "line\\nline". */
export function decodeLiteralEscapes(value: string): string {
	if (!value.includes('\\')) return value;
	return value.replace(LITERAL_ESCAPE, (_escape: string, hex: string | undefined) =>
		hex === undefined ? '\n' : String.fromCharCode(parseInt(hex, 16)),
	);
}

export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return decodeLiteralEscapes(value);
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One readable line per list entry: the text itself, or "key: value; key: value". */
export function describeEntry(entry: unknown): string {
	if (!isPlainObject(entry)) return describeValue(entry);
	return Object.entries(entry)
		.map(([key, value]) => [key, describeValue(value)])
		.filter(([, text]) => text !== '')
		.map(([key, text]) => `${key}: ${text}`)
		.join('; ');
}

/** A summary that renders each entry of a list on its own line. */
export function linePerEntry(render: (entry: IDataObject) => string): (value: unknown) => string {
	return (value) =>
		Array.isArray(value)
			? value
					.map((entry) => (isPlainObject(entry) ? render(entry) : describeValue(entry)))
					.filter((line) => line !== '')
					.join('\n')
			: describeValue(value);
}

const entriesAsLines = linePerEntry(describeEntry);

/**
 * The envelope's fields (without `field`, renamed) followed by those of the inner object, or the
 * inner value under `field` when it is not an object. Built by assignment: on Node 20 an object
 * spread of this size costs ten times as much, and this runs for every call of every callback.
 */
function envelopeWith(
	payload: IDataObject,
	field: string,
	renameEnvelopeFields: Record<string, string>,
	inner: unknown,
): IDataObject {
	const item: IDataObject = {};
	for (const key in payload) {
		if (key !== field) item[renameEnvelopeFields[key] ?? key] = payload[key];
	}
	if (isPlainObject(inner)) {
		for (const key in inner) item[key] = inner[key];
	} else if (inner !== undefined) {
		item[field] = inner as IDataObject[string];
	}
	return item;
}

function unwrapItem(definition: CallbackDefinition, payload: IDataObject): IDataObject {
	if (!definition.unwrap) return payload;
	const { field, renameEnvelopeFields = {} } = definition.unwrap;
	return envelopeWith(payload, field, renameEnvelopeFields, payload[field]);
}

function withAliasesResolved(definition: CallbackDefinition, item: IDataObject): IDataObject {
	if (!definition.fieldAliases) return item;
	const resolved: IDataObject = {};
	for (const [key, value] of Object.entries(item)) {
		const name = definition.fieldAliases[key] ?? key;
		if (!(name in resolved) || resolved[name] === undefined || resolved[name] === null) resolved[name] = value;
	}
	return resolved;
}

/** One item per call (or session, event…): unwrapped, split and with one name per field. */
export function splitIntoItems(definition: CallbackDefinition, payload: IDataObject): IDataObject[] {
	return splitEntries(definition, unwrapItem(definition, payload)).map((item) => withAliasesResolved(definition, item));
}

function splitEntries(definition: CallbackDefinition, payload: IDataObject): IDataObject[] {
	if (!definition.split) return [payload];
	const { field, renameEnvelopeFields = {} } = definition.split;
	const entries = payload[field];
	if (!Array.isArray(entries) || entries.length === 0) return [envelopeWith(payload, field, renameEnvelopeFields, undefined)];
	return entries.map((entry) => envelopeWith(payload, field, renameEnvelopeFields, entry));
}

function timeTwin(kind: TimeFieldKind, value: unknown, accountTimeZone: string): string | null {
	if (kind === 'epoch') return epochToIso(value);
	return localTimeToIso(value, kind === 'utcLocal' ? 'UTC' : accountTimeZone);
}

/**
 * A nested field is named <parent>_<field>. Where that would take the name of a top-level field
 * (a payload with both "user_id" and "user": {"id"}), the nested one becomes <parent>__<field>,
 * whatever order the keys arrive in, so every column keeps one meaning.
 */
export function nestedColumnName(prefix: string, key: string, topLevel: object): string {
	if (prefix === '') return key;
	const column = `${prefix}_${key}`;
	return Object.hasOwn(topLevel, column) ? `${prefix}__${key}` : column;
}

/** What the definition adds to one column: a summary, an ISO twin, a text label. */
interface ColumnRule {
	summarize?: (value: unknown) => string;
	time?: { kind: TimeFieldKind; column: string };
	labels?: { codes: Record<string, string>; column: string };
}

const columnRulesByDefinition = new WeakMap<CallbackDefinition, Map<string, ColumnRule>>();

/**
 * Built once per definition: most columns have no rule, so each value costs one Map lookup
 * instead of three, and the twin columns' names are not rebuilt for every call.
 */
function columnRulesOf(definition: CallbackDefinition): Map<string, ColumnRule> {
	let rules = columnRulesByDefinition.get(definition);
	if (rules) return rules;
	rules = new Map();
	const ruleFor = (column: string) => {
		let rule = rules!.get(column);
		if (!rule) rules!.set(column, (rule = {}));
		return rule;
	};
	for (const [column, summarize] of Object.entries(definition.summaries ?? {})) ruleFor(column).summarize = summarize;
	for (const [column, kind] of Object.entries(definition.timeFields ?? {})) ruleFor(column).time = { kind, column: `${column}_iso` };
	for (const [column, codes] of Object.entries(definition.codeLabels ?? {})) ruleFor(column).labels = { codes, column: `${column}_text` };
	columnRulesByDefinition.set(definition, rules);
	return rules;
}

function flattenInto(
	target: IDataObject,
	prefix: string,
	source: IDataObject,
	rules: Map<string, ColumnRule>,
	accountTimeZone: string,
	topLevel: IDataObject,
): void {
	for (const key in source) {
		const value = source[key];
		const column = nestedColumnName(prefix, key, topLevel);
		const rule = rules.get(column);
		if (rule?.summarize) {
			target[column] = rule.summarize(value);
		} else if (isPlainObject(value)) {
			flattenInto(target, column, value, rules, accountTimeZone, topLevel);
		} else if (Array.isArray(value)) {
			target[column] = entriesAsLines(value);
		} else {
			target[column] = typeof value === 'string' ? decodeLiteralEscapes(value) : value;
		}
		if (rule?.time) target[rule.time.column] = timeTwin(rule.time.kind, value, accountTimeZone);
		if (rule?.labels) {
			target[rule.labels.column] =
				value === null || value === undefined ? null : (rule.labels.codes[String(value)] ?? `Unknown code ${String(value)}`);
		}
	}
}

/** Flat, spreadsheet-ready columns: nested objects become prefixed columns, arrays become text. */
export function simplifyItem(
	definition: CallbackDefinition,
	item: IDataObject,
	accountTimeZone: string,
): IDataObject {
	const flat: IDataObject = {};
	flattenInto(flat, '', item, columnRulesOf(definition), accountTimeZone, item);
	return flat;
}

/**
 * The output items of a valid callback. `keep` drops the items the node's filters exclude; in
 * "One Item per Callback" mode the callback stays if any of its items is kept.
 */
export function toOutputItems(
	definition: CallbackDefinition,
	payload: IDataObject,
	options: ItemOptions,
	keep: (item: IDataObject) => boolean = () => true,
): IDataObject[] {
	const items = splitIntoItems(definition, payload).filter(keep);
	if (options.mode === 'perCallback') return items.length > 0 ? [payload] : [];
	return options.simplify
		? items.map((item) => simplifyItem(definition, item, options.accountTimeZone))
		: items;
}
