// @ts-check
/**
 * n8n's Data tables (built into n8n 1.123.81, 2.8.4 and 2.41.1, no setting needed) through the
 * REST API its editor's "Data tables" tab uses: each demo workflow upserts its items into a table
 * of the trigger's columns, so a user sees one row per call in n8n itself. Tables belong to a
 * project; the demo's live in the local owner's personal project, where n8n's CLI imports the
 * demo workflows, because a workflow can only use the tables of its own project.
 */
const { fromDist } = require('./dist');

/** Every table has these; a trigger's column of the same name is stored as airudder_<name>. */
const SYSTEM_COLUMNS = ['id', 'createdAt', 'updatedAt'];
/** n8n's rule for a column name (@n8n/api-types DATA_TABLE_COLUMN_REGEX and _MAX_LENGTH). */
const COLUMN_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;

/**
 * @typedef {import('./n8nClient').N8nClient} N8nClient
 * @typedef {{ name: string, type: 'string' }} TableColumn
 */

/**
 * The table column of each of the trigger's columns, in the trigger's order. Every column is text:
 * a call whose field differs from AIRudder's format (schema_mismatch) must still get its row, and
 * a number column would refuse it. A name n8n does not allow has no column.
 * @param {import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition} definition
 * @returns {Array<{ column: string, tableColumn: string }>}
 */
function tableColumnsOf(definition) {
	const { outputColumnsOf } = fromDist('output/outputSchema');
	return outputColumnsOf(definition)
		.names.map((column) => ({ column, tableColumn: SYSTEM_COLUMNS.includes(column) ? `airudder_${column}` : column }))
		.filter(({ tableColumn }) => COLUMN_NAME.test(tableColumn));
}

/**
 * The id of the signed-in user's personal project.
 * @param {N8nClient} client
 * @returns {Promise<string>}
 */
async function personalProjectId(client) {
	const project = await client.rest('GET', '/projects/personal');
	return project.id;
}

/**
 * The table of this name, created with these text columns if missing, and given any column it
 * lacks (a newer package adds columns), so re-running npm start keeps its rows.
 * @param {N8nClient} client
 * @param {string} projectId
 * @param {string} name
 * @param {string[]} columns
 * @returns {Promise<string>} the table's id
 */
async function ensureDataTable(client, projectId, name, columns) {
	const base = `/projects/${projectId}/data-tables`;
	const filter = encodeURIComponent(JSON.stringify({ name }));
	const { data } = await client.rest('GET', `${base}?filter=${filter}`);
	const existing = /** @type {Array<{ id: string, name: string }>} */ (data).find((table) => table.name === name);
	if (!existing) {
		const created = await client.rest('POST', base, { name, columns: columns.map((column) => ({ name: column, type: 'string' })) });
		return created.id;
	}
	const present = new Set((await client.rest('GET', `${base}/${existing.id}/columns`)).map((/** @type {{ name: string }} */ column) => column.name));
	for (const column of columns.filter((name) => !present.has(name))) {
		await client.rest('POST', `${base}/${existing.id}/columns`, { name: column, type: 'string' });
	}
	return existing.id;
}

/**
 * A Data Table node's Upsert: the row whose delivery_key equals `key` is updated, else one is
 * added, each column set to its expression. Columns are mapped one by one rather than
 * automatically, because n8n refuses a whole item that carries a field the table lacks (a call's
 * extra fields).
 * @param {{ __rl: true, mode: 'id' | 'name', value: string }} table
 * @param {string} key the expression of the row's delivery_key
 * @param {Record<string, string>} values each table column's expression
 */
function upsertRowParameters(table, key, values) {
	return {
		resource: 'row',
		operation: 'upsert',
		dataTableId: table,
		matchType: 'allConditions',
		filters: { conditions: [{ keyName: 'delivery_key', condition: 'eq', keyValue: key }] },
		columns: {
			mappingMode: 'defineBelow',
			value: values,
			matchingColumns: [],
			schema: Object.keys(values).map((column) => ({
				id: column,
				displayName: column,
				required: false,
				defaultMatch: false,
				display: true,
				type: 'string',
				readOnly: false,
				removed: false,
			})),
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		},
		options: {},
	};
}

/** The most rows n8n 1.x answers per page (2.x: 250). */
const ROWS_PER_PAGE = 50;

/**
 * A table's rows, oldest first, as n8n's Data tables tab shows them.
 * @param {N8nClient} client
 * @param {string} projectId
 * @param {string} tableId
 * @returns {Promise<Array<Record<string, unknown>>>}
 */
async function dataTableRows(client, projectId, tableId) {
	/** @type {Array<Record<string, unknown>>} */
	const rows = [];
	for (;;) {
		const query = `take=${ROWS_PER_PAGE}&skip=${rows.length}&sortBy=${encodeURIComponent('id:asc')}`;
		const { data } = await client.rest('GET', `/projects/${projectId}/data-tables/${tableId}/rows?${query}`);
		rows.push(...data);
		if (data.length < ROWS_PER_PAGE) return rows;
	}
}

module.exports = { dataTableRows, ensureDataTable, personalProjectId, tableColumnsOf, upsertRowParameters };
