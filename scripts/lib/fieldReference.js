// @ts-check
/**
 * docs/field-reference.md: the columns of every trigger's output, written from the same schemas
 * the nodes validate with. `npm run build` rewrites it, and a unit test fails when the committed
 * file differs, so the reference cannot drift from the code.
 */

/** @typedef {{ type?: string | string[], format?: string, description?: string, properties?: Record<string, JsonSchema> }} JsonSchema */

/** The Invalid output's fields, the same for every trigger (see nodes/Airudder/receive.ts). */
const INVALID_FIELDS = [
	['reason', 'text', 'Why the callback could not be used, in one sentence'],
	['reasons', 'list', 'Each problem found, for schema mismatches one per field'],
	['stage', 'text', 'Where it failed: decrypt, integrity, parse or validate'],
	['callbackType', 'text', 'The trigger that received it'],
	['receivedAt', 'date-time', 'When n8n received it (ISO-8601, UTC)'],
	['encrypted', 'boolean', 'Whether the body was AES-encrypted'],
	['body', 'object', 'The parsed body, when it was JSON'],
	['rawBody', 'text', 'The body exactly as received (base64 when it is not text)'],
	['rawBodyEncoding', 'text', 'utf8 or base64'],
	['headers', 'object', 'The request headers, with secrets removed'],
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
 * @param {Array<{ nodeType: string, definition: import('../../nodes/Airudder/definition').CallbackDefinition }>} triggers
 * @param {(definition: import('../../nodes/Airudder/definition').CallbackDefinition) => JsonSchema} outputSchemaOf
 */
function renderFieldReference(triggers, outputSchemaOf) {
	const lines = [
		'# Field reference',
		'',
		'<!-- Written by `npm run build` from the callback schemas (scripts/lib/fieldReference.js). Do not edit. -->',
		'',
		'The columns each trigger puts on its main output with the default settings: one item per call',
		'(or event, or message), Simplify on. Times AIRudder sends in its own format also get an ISO-8601',
		'twin ending in `_iso`. AIRudder may send more fields than listed; they are kept as extra columns.',
		'',
		...triggers.map(({ definition }) => `- [${definition.displayName}](#${anchor(definition.displayName)})`),
		'- [The Invalid output (every trigger)](#the-invalid-output-every-trigger)',
		'',
	];
	for (const { definition } of triggers) {
		const schema = outputSchemaOf(definition);
		lines.push(
			`## ${definition.displayName}`,
			'',
			`AIRudder callback: **${definition.vendorName.en}** (${definition.vendorName.zh}). URL ends in \`/${definition.webhookPath}\`. ` +
				`Outputs: **${definition.outputName}**, one item per ${definition.itemNoun}, and **Invalid**.` +
				(definition.inferred ? ' AIRudder has not published this body: the columns are inferred.' : ''),
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
		'',
		'| Field | Type | Description |',
		'| --- | --- | --- |',
		...INVALID_FIELDS.map(([field, type, description]) => `| \`${field}\` | ${type} | ${description} |`),
		'',
	);
	return lines.join('\n');
}

/** GitHub's heading anchors. @param {string} heading */
function anchor(heading) {
	return heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

module.exports = { INVALID_FIELDS, renderFieldReference };
