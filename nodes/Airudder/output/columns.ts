import type { CallbackDefinition, TimeFieldKind } from '../vocabulary/definition';
import { ownValue, setOwn } from '../values';

/**
 * How a callback becomes flat columns, written once for both its two users: items.ts walks the
 * values of one callback, outputSchema.ts walks the schema of every callback of a type. Both go
 * through the same envelope merge and the same walk, so the columns an item has are the columns
 * the editor, docs/field-reference.md and the examples promise.
 */

/**
 * The envelope's fields (without `field`, renamed as given) followed by those of the wrapped
 * object or array entry. Built key by key rather than by object spread, which V8 makes far
 * slower for objects of this size, because this runs for every call of every callback.
 */
export function mergeEnvelope<T>(
	envelope: Record<string, T>,
	field: string,
	renameEnvelopeFields: Partial<Record<string, string>> = {},
	inner: Record<string, T> = {},
): Record<string, T> {
	const merged: Record<string, T> = {};
	for (const key of Object.keys(envelope)) {
		if (key !== field) setOwn(merged, ownValue(renameEnvelopeFields, key) ?? key, envelope[key]);
	}
	for (const key of Object.keys(inner)) setOwn(merged, key, inner[key]);
	return merged;
}

/**
 * A nested field is named <parent>_<field>. Where that would take the name of a top-level field
 * (a payload with both "user_id" and "user": {"id"}), the nested one becomes <parent>__<field>,
 * whatever order the keys arrive in, so every column keeps one meaning.
 */
function nestedColumnName(prefix: string, key: string, topLevel: object): string {
	if (prefix === '') return key;
	const column = `${prefix}_${key}`;
	return Object.hasOwn(topLevel, column) ? `${prefix}__${key}` : column;
}

/** What the definition adds to one column: a one-cell summary, an ISO-8601 twin, a code's text. */
export interface ColumnRule {
	summarize?: (value: unknown) => string;
	time?: { kind: TimeFieldKind; column: string };
	labels?: { codes: Record<string, string>; column: string };
}

const columnRulesByDefinition = new WeakMap<CallbackDefinition, Map<string, ColumnRule>>();

/**
 * Built once per definition: most columns have no rule, so each value costs one Map lookup
 * instead of three, and the twin columns' names are not rebuilt for every call.
 */
export function columnRulesOf(definition: CallbackDefinition): Map<string, ColumnRule> {
	let rules = columnRulesByDefinition.get(definition);
	if (rules) return rules;
	const built = new Map<string, ColumnRule>();
	const ruleFor = (column: string) => {
		let rule = built.get(column);
		if (!rule) built.set(column, (rule = {}));
		return rule;
	};
	for (const [column, summarize] of Object.entries(definition.summaries ?? {})) {
		if (summarize) ruleFor(column).summarize = summarize;
	}
	for (const [column, kind] of Object.entries(definition.timeFields ?? {})) {
		if (kind) ruleFor(column).time = { kind, column: `${column}_iso` };
	}
	for (const [column, codes] of Object.entries(definition.codeLabels ?? {})) {
		if (codes) ruleFor(column).labels = { codes, column: `${column}_text` };
	}
	columnRulesByDefinition.set(definition, (rules = built));
	return rules;
}

export interface ColumnWalk<T> {
	rules: Map<string, ColumnRule>;
	/** The item's top-level fields, which decide when a nested column needs `__`. */
	topLevel: object;
	/** The fields of a value that flattens into prefixed columns; undefined for a one-cell value. */
	nestedFieldsOf: (value: T) => Record<string, T> | undefined;
	/** Called for every field, after its nested fields if it has any. */
	visit: (column: string, value: T, rule: ColumnRule | undefined, nested: boolean) => void;
}

/**
 * Walks the fields depth first, in their order, naming each column. A field with a summary stays
 * one cell even when it is an object.
 */
export function walkColumns<T>(fields: Record<string, T>, walk: ColumnWalk<T>, prefix = ''): void {
	for (const key of Object.keys(fields)) {
		const value = fields[key];
		const column = nestedColumnName(prefix, key, walk.topLevel);
		const rule = walk.rules.get(column);
		const nested = rule?.summarize ? undefined : walk.nestedFieldsOf(value);
		if (nested) walkColumns(nested, walk, column);
		walk.visit(column, value, rule, nested !== undefined);
	}
}
