import type { IDataObject } from 'n8n-workflow';

import { columnRulesOf, mergeEnvelope, walkColumns, type ColumnRule } from './columns';
import type { CallbackDefinition, TimeFieldKind } from '../vocabulary/definition';
import { DELIVERY_KEY_COLUMN, outputColumnsOf, SCHEMA_MISMATCH_COLUMN } from './outputSchema';
import { callbackDeliveryKeyOf, deliveryKeyOf } from './repeatedDeliveries';
import { MAX_CELLS_ALWAYS_PADDED } from '../limits';
import { decodeLiteralEscapes, entriesAsLines } from '../vocabulary/text';
import { epochToIso, localTimeToIso } from '../time';
import { isPlainObject, itemKeyOf, ownValue, setOwn } from '../values';

export type OutputMode = 'perItem' | 'perCallback';

export interface ItemOptions {
	mode: OutputMode;
	simplify: boolean;
	accountTimeZone: string;
}

/** The envelope merged with `inner`, or with `inner` under `field` when it is not an object. */
function envelopeWith(
	payload: IDataObject,
	field: string,
	renameEnvelopeFields: Partial<Record<string, string>> | undefined,
	inner: unknown,
): IDataObject {
	if (isPlainObject(inner) || inner === undefined) return mergeEnvelope(payload, field, renameEnvelopeFields, inner);
	const item = mergeEnvelope(payload, field, renameEnvelopeFields);
	item[field] = inner as IDataObject[string];
	return item;
}

function unwrapItem(definition: CallbackDefinition, payload: IDataObject): IDataObject {
	if (!definition.unwrap) return payload;
	const { renameEnvelopeFields } = definition.unwrap;
	const field = itemKeyOf(definition.unwrap.field);
	return envelopeWith(payload, field, renameEnvelopeFields, payload[field]);
}

function withAliasesResolved(definition: CallbackDefinition, item: IDataObject): IDataObject {
	if (!definition.fieldAliases) return item;
	const resolved: IDataObject = {};
	for (const [key, value] of Object.entries(item)) {
		const name = ownValue(definition.fieldAliases, key) ?? key;
		if (ownValue(resolved, name) === undefined || resolved[name] === null) setOwn(resolved, name, value);
	}
	return resolved;
}

/** One item per call (or session, event…): unwrapped, split and with one name per field. */
export function splitIntoItems(definition: CallbackDefinition, payload: IDataObject): IDataObject[] {
	return splitEntries(definition, unwrapItem(definition, payload)).map((item) => withAliasesResolved(definition, item));
}

function splitEntries(definition: CallbackDefinition, payload: IDataObject): IDataObject[] {
	if (!definition.split) return [payload];
	const { renameEnvelopeFields } = definition.split;
	const field = itemKeyOf(definition.split.field);
	const entries = payload[field];
	if (!Array.isArray(entries) || entries.length === 0) return [envelopeWith(payload, field, renameEnvelopeFields, undefined)];
	return entries.map((entry) => envelopeWith(payload, field, renameEnvelopeFields, entry));
}

function timeTwin(kind: TimeFieldKind, value: unknown, accountTimeZone: string): string | null {
	if (kind === 'epoch') return epochToIso(value);
	return localTimeToIso(value, kind === 'utcLocal' ? 'UTC' : accountTimeZone);
}

/** One cell per column: summaries and lists as text, ISO-8601 twins and code texts beside their field. */
function cellsInto(row: IDataObject, accountTimeZone: string) {
	return (column: string, value: IDataObject[string], rule: ColumnRule | undefined, nested: boolean): void => {
		if (rule?.summarize) {
			setOwn(row, column, rule.summarize(value));
		} else if (Array.isArray(value)) {
			setOwn(row, column, entriesAsLines(value));
		} else if (!nested) {
			// zod leaves an optional field it was not sent as undefined, which n8n would drop from the item.
			setOwn(row, column, typeof value === 'string' ? decodeLiteralEscapes(value) : (value ?? null));
		}
		if (rule?.time) row[rule.time.column] = timeTwin(rule.time.kind, value, accountTimeZone);
		if (rule?.labels) {
			row[rule.labels.column] =
				value === null || value === undefined ? null : (ownValue(rule.labels.codes, String(value)) ?? `Unknown code ${String(value)}`);
		}
	};
}

/**
 * Flat, spreadsheet-ready columns: nested objects become prefixed columns, arrays become text.
 * The item starts as every column the schema knows, null, in output order (see outputSchema.ts),
 * so values fill their places and fields the schema does not know follow them.
 */
export function simplifyItem(
	definition: CallbackDefinition,
	item: IDataObject,
	accountTimeZone: string,
): IDataObject {
	const row: IDataObject = {};
	for (const column of outputColumnsOf(definition).names) row[column] = null;
	walkColumns<IDataObject[string]>(item, {
		rules: columnRulesOf(definition),
		topLevel: item,
		nestedFieldsOf: (value) => (isPlainObject(value) ? value : undefined),
		visit: cellsInto(row, accountTimeZone),
	});
	return row;
}

/** Whether the row has exactly these columns, in this order. */
function hasColumns(row: IDataObject, columns: string[]): boolean {
	const own = Object.keys(row);
	return own.length === columns.length && own.every((column, index) => column === columns[index]);
}


/**
 * Gives every row of one callback the same columns: those of the first row, then each other
 * column in the order first seen, null where a row lacks it. Rows can differ only in fields the
 * schema does not know, and mostly do not, so the common case costs one comparison per column.
 */
export function withSharedColumns(rows: IDataObject[]): IDataObject[] {
	if (rows.length < 2) return rows;
	const columns = Object.keys(rows[0]);
	if (rows.every((row) => hasColumns(row, columns))) return rows;
	const seen = new Set(columns);
	let cells = 0;
	for (const row of rows) {
		for (const column of Object.keys(row)) {
			cells += 1;
			if (!seen.has(column)) {
				seen.add(column);
				columns.push(column);
			}
		}
	}
	if (rows.length * columns.length > Math.max(MAX_CELLS_ALWAYS_PADDED, 2 * cells)) return rows;
	return rows.map((row) => {
		if (hasColumns(row, columns)) return row;
		const aligned: IDataObject = {};
		for (const column of columns) setOwn(aligned, column, Object.hasOwn(row, column) ? row[column] : null);
		return aligned;
	});
}

/**
 * The output items of a valid callback. `keep` drops the items the node's filters exclude; in
 * "One Item per Callback" mode the callback stays if any of its items is kept. Every item says in
 * `schema_mismatch` how its callback differs from the schema, null when it matched, and in
 * `delivery_key` what makes it the same delivery as another, so rows line up from one callback to
 * the next: with Simplify on in their place among the schema's columns, otherwise after
 * AIRudder's fields. The key is taken from the item before Simplify, so it is the same either way.
 */
export function toOutputItems(
	definition: CallbackDefinition,
	{ payload, mismatch }: { payload: IDataObject; mismatch?: string },
	options: ItemOptions,
	keep: (item: IDataObject) => boolean = () => true,
): IDataObject[] {
	const calls = splitIntoItems(definition, payload);
	const items = calls.filter(keep);
	const labelled = (item: IDataObject, deliveryKey: string): IDataObject => ({
		...item,
		[SCHEMA_MISMATCH_COLUMN]: mismatch ?? null,
		[DELIVERY_KEY_COLUMN]: deliveryKey,
	});
	if (options.mode === 'perCallback') return items.length > 0 ? [labelled(payload, callbackDeliveryKeyOf(definition, calls))] : [];
	if (!options.simplify) return items.map((item) => labelled(item, deliveryKeyOf(definition, item)));
	return withSharedColumns(
		items.map((item) => labelled(simplifyItem(definition, item, options.accountTimeZone), deliveryKeyOf(definition, item))),
	);
}
