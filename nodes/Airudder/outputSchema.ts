import { z } from 'zod/v4';

import type { CallbackDefinition } from './definition';
import { nestedColumnName } from './items';

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

function payloadSchema(definition: CallbackDefinition): JsonSchema {
	return z.toJSONSchema(definition.schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
}

/** The fields of one item before Simplify: the payload, or an envelope plus one array entry. */
export function itemSchemaOf(definition: CallbackDefinition): Record<string, JsonSchema> {
	let properties = payloadSchema(definition).properties ?? {};
	if (definition.unwrap) {
		const { field, renameEnvelopeFields } = definition.unwrap;
		properties = mergeInner(properties, field, renameEnvelopeFields, withoutNull(properties[field] ?? {}).properties);
	}
	if (definition.split) {
		const { field, renameEnvelopeFields } = definition.split;
		properties = mergeInner(properties, field, renameEnvelopeFields, withoutNull(properties[field] ?? {}).items?.properties);
	}
	for (const alias of Object.keys(definition.fieldAliases ?? {})) delete properties[alias];
	return properties;
}

/** The envelope's fields (renamed) followed by those of the wrapped object or array entry. */
function mergeInner(
	properties: Record<string, JsonSchema>,
	field: string,
	renameEnvelopeFields: Record<string, string> = {},
	inner: Record<string, JsonSchema> = {},
): Record<string, JsonSchema> {
	const fields: Record<string, JsonSchema> = {};
	for (const [key, schema] of Object.entries(properties)) {
		if (key !== field) fields[renameEnvelopeFields[key] ?? key] = schema;
	}
	return { ...fields, ...inner };
}

function flattenSchema(
	definition: CallbackDefinition,
	prefix: string,
	properties: Record<string, JsonSchema>,
	columns: Record<string, JsonSchema>,
	dynamicPrefixes: string[],
	topLevel: Record<string, JsonSchema>,
): void {
	for (const [key, original] of Object.entries(properties)) {
		const column = nestedColumnName(prefix, key, topLevel);
		const schema = withoutNull(original);
		const description = schema.description;
		if (definition.summaries?.[column] || schema.type === 'array') {
			columns[column] = { type: 'string', description: `${description ?? column}, as text with one line per entry` };
		} else if (schema.type === 'object' && schema.properties) {
			flattenSchema(definition, column, schema.properties, columns, dynamicPrefixes, topLevel);
			// A loose object keeps the keys it does not name (a contact's extra_* fields).
			if (schema.additionalProperties !== false) dynamicPrefixes.push(column);
		} else if (schema.type === 'object') {
			dynamicPrefixes.push(column);
		} else {
			columns[column] = schema;
		}
		if (definition.codeLabels?.[column]) {
			columns[`${column}_text`] = { type: 'string', description: `Meaning of the ${column} code` };
		}
		if (definition.timeFields?.[column]) {
			columns[`${column}_iso`] = {
				type: 'string',
				format: 'date-time',
				description: `${column} as ISO-8601 with its time zone offset`,
			};
		}
	}
}

/** JSON Schema of one item in the default output (one item per call, simplified). */
export function outputSchemaOf(definition: CallbackDefinition): JsonSchema {
	const columns: Record<string, JsonSchema> = {};
	const dynamicPrefixes: string[] = [];
	const itemFields = itemSchemaOf(definition);
	flattenSchema(definition, '', itemFields, columns, dynamicPrefixes, itemFields);
	const dynamicNote = dynamicPrefixes.length
		? ` Plus one column per key of ${dynamicPrefixes.join(', ')}, named <field>_<key>.`
		: '';
	return {
		type: 'object',
		description: `One ${definition.itemNoun} from "${definition.vendorName.en}", simplified.${dynamicNote}`,
		properties: columns,
		additionalProperties: true,
	};
}
