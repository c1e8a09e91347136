// @ts-check
/**
 * docs/field-reference.md: the columns of every trigger's output, written from the same schemas
 * the nodes validate with. `npm run build` rewrites it, and a unit test fails when the committed
 * file differs, so the reference cannot drift from the code.
 */

/** @typedef {{ type?: string | string[], format?: string, description?: string, properties?: Record<string, JsonSchema> }} JsonSchema */

/**
 * What the package's build output offers the reference.
 * @typedef {object} OutputDescription
 * @property {(definition: import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition) => JsonSchema} outputSchemaOf
 * @property {(definition: import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition) => { core: string[] }} outputColumnsOf
 * @property {ReadonlyArray<{ name: string, type: string, description: string }>} INVALID_ITEM_FIELDS
 * @property {ReadonlyArray<import('../../nodes/AirudderAction/actions/operation').ActionOperation>} operations the AIRudder node's
 */

/** The column-order rule, as nodes/Airudder/output/outputSchema.ts applies it. */
const COLUMN_ORDER = [
	'Every item of one callback has the same columns in the same order, so rows appended to a sheet or a',
	'CSV file line up: first the columns of the fields every callback of that type is guaranteed to carry',
	'(named under the trigger, when it has any); then every other column listed below, in that order,',
	'each `_iso` twin and `_text` label right after its field; then any other field a call carries',
	"(the keys of free-form objects such as `Variables` or `customerInfo`, and fields AIRudder adds), in",
	'the order they first appear in the callback. A column a call has no value for is `null`. (Only a',
	'large callback whose calls each carry many fields no other call has, which the nulls would more',
	'than double, keeps each call\'s own columns.) With Simplify off, or One Item per Callback, items',
	'keep AIRudder\'s fields as sent, except the renames below, followed by `schema_mismatch` and',
	'`delivery_key` (what makes two items the same delivery: match on it to keep one row per call).',
	'',
	'A field whose name n8n drops between nodes or refuses in an expression is renamed, at every level,',
	'in every output mode, Simplify on or off: AIRudder\'s `callee` is `callee_number` (`contact` where',
	'it holds the whole contact), `caller` is `caller_number`, and any other such name (`__proto__`,',
	'`constructor`, `prototype`, `arguments`, `binding`, … as n8n lists them, or a name that would put',
	'`.constructor` in the dragged expression, such as `constructorId`) is `field_<name>` (with that dot',
	'made `_`: `a.constructor` is `field_a_constructor`). The Invalid output\'s `headers` name refused',
	'headers the same way.',
];

/** @param {JsonSchema} schema */
function typeOf(schema) {
	const types = [schema.type ?? 'any'].flat().filter((type) => type !== 'null');
	const named = types.map((type) => (type === 'string' ? (schema.format === 'date-time' ? 'date-time' : 'text') : type));
	return named.join(' or ') || 'any';
}

/** @param {string} text */
function cell(text) {
	return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/**
 * @param {Array<{ nodeType: string, definition: import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition }>} triggers
 * @param {OutputDescription} output
 */
function renderFieldReference(triggers, { outputSchemaOf, outputColumnsOf, INVALID_ITEM_FIELDS, operations }) {
	const lines = [
		'# Field reference',
		'',
		'<!-- Written by `npm run build` from the callback schemas (scripts/lib/fieldReference.js). Do not edit. -->',
		'',
		'The columns each trigger puts on its main output with the default settings: one item per call',
		'(or event, or message), Simplify on. Times AIRudder sends in its own format also get an ISO-8601',
		'twin ending in `_iso`.',
		'',
		...COLUMN_ORDER,
		'',
		...triggers.map(({ definition }) => `- [${definition.displayName}](#${anchor(definition.displayName)})`),
		'- [The Invalid output (every trigger)](#the-invalid-output-every-trigger)',
		'- [The AIRudder node](#the-airudder-node)',
		'',
	];
	for (const { definition } of triggers) {
		const schema = outputSchemaOf(definition);
		const { core } = outputColumnsOf(definition);
		lines.push(
			`## ${definition.displayName}`,
			'',
			`AIRudder callback: **${definition.vendorName.en}** (${definition.vendorName.zh}). URL ends in \`/${definition.webhookPath}\`. ` +
				`Outputs: **${definition.outputName}**, one item per ${definition.itemNoun}, and **Invalid**.` +
				(definition.inferred ? ' AIRudder has not published this body: the columns are inferred.' : '') +
				(core.length > 0 ? ` Guaranteed fields, which come first: ${core.map((column) => `\`${column}\``).join(', ')}.` : ''),
			'',
			'| Column | Type | Description |',
			'| --- | --- | --- |',
			...Object.entries(schema.properties ?? {}).map(
				([column, field]) => `| \`${column}\` | ${typeOf(field)} | ${cell(field.description ?? '')} |`,
			),
			'',
		);
		const dynamic = /Plus one column per key of (.*), named/.exec(schema.description ?? '');
		if (dynamic) lines.push(`Plus one column per key of ${dynamic[1]}, named \`<field>_<key>\`.`, '');
		if (definition.recordings) {
			lines.push(
				'With **Options → Download Recordings** on: `recording_status` (downloaded, no_link or failed), ' +
					'`recording_error`, and the audio in the binary property `recording`.',
				'',
			);
		}
	}
	lines.push(
		'## The Invalid output (every trigger)',
		'',
		'A callback that passed the security checks but could not be used. Nothing is dropped: the raw body is kept.',
		'Every Invalid item has all these fields, in this order, `null` where one does not apply.',
		'',
		'| Field | Type | Description |',
		'| --- | --- | --- |',
		...INVALID_ITEM_FIELDS.map(({ name, type, description }) => `| \`${name}\` | ${type} | ${cell(description)} |`),
		'',
		'## The AIRudder node',
		'',
		'What each operation outputs. Operations that give a trigger\'s items give them column for column, so rows',
		'a backfill appends line up with the rows the trigger appends.',
		'',
		'| Resource | Operation | Output |',
		'| --- | --- | --- |',
		...operations.map(({ resource, name, outputDescription, givesItemsOf }) => {
			const sameAs = givesItemsOf ? ` The columns of [${givesItemsOf.displayName}](#${anchor(givesItemsOf.displayName)}).` : '';
			return `| ${resource.charAt(0).toUpperCase()}${resource.slice(1)} | ${name} | ${cell(outputDescription)}${sameAs} |`;
		}),
		'',
	);
	return lines.join('\n');
}

/** GitHub's heading anchors. @param {string} heading */
function anchor(heading) {
	return heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

module.exports = { renderFieldReference };
