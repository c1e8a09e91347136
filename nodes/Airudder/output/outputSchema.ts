import { z } from 'zod/v4';

import { columnRulesOf, mergeEnvelope, walkColumns } from './columns';
import { pluralOf, type CallbackDefinition } from '../vocabulary/definition';
import { itemKeyAmong, itemKeyOf } from '../values';

/**
 * The columns of the simplified output, decided here once for both the items and the schema that
 * the editor and docs/field-reference.md show. Every item of one callback has the same columns in
 * the same order, because rows appended to a sheet or a CSV file line up by position and n8n's
 * field mapping lists only the first item's columns:
 * 1. the core fields (a callback's guaranteed fields, which identify it);
 * 2. every other column the schema knows, in schema order, with ISO-8601 twins and code labels
 *    right after their field; null where a call lacks it;
 * 3. the columns the node adds: `schema_mismatch`, `delivery_key`, and `recording_status` and
 *    `recording_error` where recordings can be downloaded; null where they have no value;
 * 4. every other field the callback's calls carry (keys of free-form objects such as Variables, and
 *    fields AIRudder adds), in the order first seen; null on the calls that lack it.
 */

/** What Download Recordings made of the call's recording, on every item where it can run. */
export const RECORDING_STATUS_COLUMN = 'recording_status';
export const RECORDING_ERROR_COLUMN = 'recording_error';
export const SCHEMA_MISMATCH_COLUMN = 'schema_mismatch';
/** What makes two items the same delivery, for an upsert that writes one row per call. */
export const DELIVERY_KEY_COLUMN = 'delivery_key';

export interface JsonSchema {
	type?: string;
	description?: string;
	format?: string;
	properties?: Record<string, JsonSchema>;
	items?: JsonSchema;
	anyOf?: JsonSchema[];
	additionalProperties?: unknown;
}

/** Optional fields come out of zod as anyOf [T, null]; the editor only needs T. */
function withoutNull(schema: JsonSchema): JsonSchema {
	if (!schema.anyOf) return schema;
	const variants = schema.anyOf.filter((variant) => variant.type !== 'null');
	const description = schema.description ? { description: schema.description } : {};
	return variants.length === 1 ? { ...variants[0], ...description } : { anyOf: variants, ...description };
}

/** A renamed field's schema says what AIRudder calls it, so that the vendor's docs can be matched. */
function renamedField(field: JsonSchema, vendorName: string): JsonSchema {
	const original = `AIRudder's \`${vendorName}\``;
	return { ...field, description: field.description ? `${field.description} (${original})` : original };
}

/** The schema with each field named as items name it, at every level (see itemKeyOf). */
function withItemKeys(schema: JsonSchema): JsonSchema {
	const { properties, items, anyOf } = schema;
	const named = (key: string, field: JsonSchema): [string, JsonSchema] => {
		const name = itemKeyAmong(key, properties ?? {}, withoutNull(field).type === 'object');
		return [name, name === key ? withItemKeys(field) : renamedField(withItemKeys(field), key)];
	};
	return {
		...schema,
		...(properties && {
			properties: Object.fromEntries(Object.entries(properties).map(([key, field]) => named(key, field))),
		}),
		...(items && { items: withItemKeys(items) }),
		...(anyOf && { anyOf: anyOf.map(withItemKeys) }),
	};
}

function payloadSchema(definition: CallbackDefinition): JsonSchema {
	return withItemKeys(z.toJSONSchema(definition.schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema);
}

/** The fields of one item before Simplify: the payload, or an envelope plus one array entry. */
function itemSchemaOf(definition: CallbackDefinition): Record<string, JsonSchema> {
	let properties = payloadSchema(definition).properties ?? {};
	if (definition.unwrap) {
		const { renameEnvelopeFields } = definition.unwrap;
		const field = itemKeyOf(definition.unwrap.field);
		properties = mergeEnvelope(properties, field, renameEnvelopeFields, withoutNull(properties[field] ?? {}).properties);
	}
	if (definition.split) {
		const { renameEnvelopeFields } = definition.split;
		const field = itemKeyOf(definition.split.field);
		properties = mergeEnvelope(properties, field, renameEnvelopeFields, withoutNull(properties[field] ?? {}).items?.properties);
	}
	for (const alias of Object.keys(definition.fieldAliases ?? {})) delete properties[alias];
	return properties;
}

/** The columns of `fields` with their schemas, and the fields whose keys AIRudder chooses. */
function flattenSchema(
	definition: CallbackDefinition,
	fields: Record<string, JsonSchema>,
	columns: Record<string, JsonSchema>,
	dynamicPrefixes: string[],
	topLevel: Record<string, JsonSchema>,
): void {
	walkColumns<JsonSchema>(fields, {
		rules: columnRulesOf(definition),
		topLevel,
		nestedFieldsOf: (schema) => {
			const shape = withoutNull(schema);
			return shape.type === 'object' ? shape.properties : undefined;
		},
		visit: (column, original, rule, nested) => {
			const schema = withoutNull(original);
			if (rule?.summarize || schema.type === 'array') {
				columns[column] = { type: 'string', description: `${schema.description ?? column}, as text with one line per entry` };
			} else if (schema.type === 'object') {
				// A loose object keeps the keys it does not name (a contact's extra_* fields).
				if (!nested || schema.additionalProperties !== false) dynamicPrefixes.push(column);
			} else {
				columns[column] = schema;
			}
			if (rule?.labels) columns[rule.labels.column] = { type: 'string', description: `Meaning of the ${column} code` };
			if (rule?.time) {
				columns[rule.time.column] = {
					type: 'string',
					format: 'date-time',
					description: `${column} as ISO-8601 with its time zone offset`,
				};
			}
		},
	});
}

/** The core fields as items name them: building an item can rename envelope fields. */
function coreItemFields(definition: CallbackDefinition): string[] {
	const renamed = { ...definition.unwrap?.renameEnvelopeFields, ...definition.split?.renameEnvelopeFields };
	return (definition.coreFields ?? []).map((field) => renamed[field] ?? itemKeyOf(field));
}

function deliveryKeyDescription(definition: CallbackDefinition): string {
	const noun = definition.itemNoun;
	const nouns = pluralOf(noun);
	const fields = (definition.deliveryKey ?? []).map((field) => itemKeyOf(field));
	const last = fields.pop();
	const sameWhen = fields.length === 0 ? `their ${last}, which this column holds` : `their ${fields.join(', ')} and ${last}, joined here by |`;
	const match = `Match on it in "Append or Update Row" or an upsert to keep one row per ${noun}`;
	return last === undefined
		? `What makes two ${nouns} the same delivery: a digest of the whole ${noun}. ${match}`
		: `What makes two ${nouns} the same delivery: ${sameWhen}; a digest of the whole ${noun} when one is missing. ${match}`;
}

/** The columns the node adds to AIRudder's fields, the same on every item of a callback type. */
function nodeColumnsOf(definition: CallbackDefinition): Record<string, JsonSchema> {
	const columns: Record<string, JsonSchema> = {
		[SCHEMA_MISMATCH_COLUMN]: {
			type: 'string',
			description:
				'Null when the callback matched its format. Otherwise how it differs, in plain sentences: the callback still counts because its core fields are there and well-typed',
		},
	};
	columns[DELIVERY_KEY_COLUMN] = {
		type: 'string',
		description: deliveryKeyDescription(definition),
	};
	if (definition.recordings) {
		columns[RECORDING_STATUS_COLUMN] = {
			type: 'string',
			description: 'With Options → Download Recordings on: downloaded, no_link or failed. Null when downloads are off',
		};
		columns[RECORDING_ERROR_COLUMN] = {
			type: 'string',
			description: 'Why the recording was not downloaded; empty when it was. Null when downloads are off',
		};
	}
	return columns;
}

interface OutputColumns {
	/** The columns the schema knows, in output order. */
	known: Record<string, JsonSchema>;
	/** The columns of the core fields, which lead. */
	core: string[];
	/** Fields whose keys AIRudder chooses, each key becoming a column <field>_<key>. */
	dynamicPrefixes: string[];
	/** The known columns' names in output order, which every simplified item starts with. */
	names: string[];
}

const outputColumnsByDefinition = new WeakMap<CallbackDefinition, OutputColumns>();

/** Worked out once per definition: zod's JSON Schema conversion is far too slow for every call. */
export function outputColumnsOf(definition: CallbackDefinition): OutputColumns {
	let columns = outputColumnsByDefinition.get(definition);
	if (columns) return columns;
	const known: Record<string, JsonSchema> = {};
	const dynamicPrefixes: string[] = [];
	const itemFields = itemSchemaOf(definition);
	const coreFields = coreItemFields(definition).filter((field) => field in itemFields);
	const coreSchema = Object.fromEntries(coreFields.map((field) => [field, itemFields[field]]));
	flattenSchema(definition, coreSchema, known, dynamicPrefixes, itemFields);
	const core = Object.keys(known);
	const otherSchema = Object.fromEntries(Object.entries(itemFields).filter(([field]) => !coreFields.includes(field)));
	flattenSchema(definition, otherSchema, known, dynamicPrefixes, itemFields);
	Object.assign(known, nodeColumnsOf(definition));
	columns = { known, core, dynamicPrefixes, names: Object.keys(known) };
	outputColumnsByDefinition.set(definition, columns);
	return columns;
}

/** JSON Schema of one item in the default output (one item per call, simplified). */
export function outputSchemaOf(definition: CallbackDefinition): JsonSchema {
	const { known, dynamicPrefixes } = outputColumnsOf(definition);
	const dynamicNote = dynamicPrefixes.length
		? ` Plus one column per key of ${dynamicPrefixes.join(', ')}, named <field>_<key>.`
		: '';
	return {
		type: 'object',
		description: `One ${definition.itemNoun} from "${definition.vendorName.en}", simplified. Every ${definition.itemNoun} has all these columns, in this order, null where AIRudder sent no value.${dynamicNote}`,
		properties: known,
		additionalProperties: true,
	};
}
