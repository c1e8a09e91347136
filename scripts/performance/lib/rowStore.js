// @ts-check
/**
 * Where the load's rows land, as in a user's database: each workflow ends in n8n's own Postgres
 * node, "Insert or Update" on the callback's delivery key, into a table of a database of its own
 * in the queue's PostgreSQL (separate from n8n's). The unique key keeps one row per call however
 * often a call is written, which is what an upsert is for, so the table also counts the writes:
 * every update of a row adds one to its `writes`, done by PostgreSQL itself (a trigger), not by
 * the workflow. A row with `writes` above 1 is a call that n8n ran more than once.
 */

const ROWS_DATABASE = 'airudder_rows';
const ROWS_TABLE = 'callback_rows';
const ROWS_CREDENTIAL = { id: 'AirudderRowsDb', name: 'Load rows (local PostgreSQL)' };
/** The node that takes the Set node's place in the load's workflows. */
const WRITE_ROW_NODE = 'Write Row';

/**
 * Creates the database and its table, and returns the Postgres credential the workflows use.
 * @param {Awaited<ReturnType<typeof import('../../lib/services').startPostgres>>} postgres
 */
function prepareRowStore(postgres) {
	postgres.createDatabase(ROWS_DATABASE);
	postgres.query(
		ROWS_DATABASE,
		`CREATE TABLE ${ROWS_TABLE} (delivery_key text PRIMARY KEY, execution_id text NOT NULL, writes integer NOT NULL DEFAULT 1);
		CREATE FUNCTION count_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.writes := OLD.writes + 1; RETURN NEW; END $$;
		CREATE TRIGGER count_writes BEFORE UPDATE ON ${ROWS_TABLE} FOR EACH ROW EXECUTE FUNCTION count_write();`,
	);
	const data = { host: '127.0.0.1', port: postgres.port, database: ROWS_DATABASE, user: postgres.database.user, password: '', ssl: 'disable' };
	return { credentials: [{ ...ROWS_CREDENTIAL, type: 'postgres', data }] };
}

/**
 * n8n's Postgres node, Insert or Update, matching on the item's `delivery_key` column, as
 * docs/operations.md tells users to map it: the key and the execution that wrote the row. Every
 * item of every trigger and of Find Calls carries that column, so one node fits every type.
 */
function writeRowNode() {
	const column = (/** @type {string} */ id) => ({ id, displayName: id, required: false, defaultMatch: false, display: true, type: 'string', canBeUsedToMatch: true });
	return {
		name: WRITE_ROW_NODE,
		type: 'n8n-nodes-base.postgres',
		typeVersion: 2.6,
		parameters: {
			operation: 'upsert',
			schema: { __rl: true, mode: 'list', value: 'public' },
			table: { __rl: true, mode: 'list', value: ROWS_TABLE },
			columns: {
				mappingMode: 'defineBelow',
				value: { delivery_key: '={{ $json.delivery_key }}', execution_id: '={{ $execution.id }}' },
				matchingColumns: ['delivery_key'],
				schema: [column('delivery_key'), column('execution_id')],
			},
			options: {},
		},
		credentials: { postgres: ROWS_CREDENTIAL },
	};
}

/**
 * The call a row holds, as the load names it (its marker, or marker-<n> per call): the first part
 * of the row's delivery_key, the call id, before the other key fields a type adds after `|`
 * (a dialer event's event, state and timestamp). Markers hold no `|`.
 * @param {unknown} deliveryKey
 */
const callOfDeliveryKey = (deliveryKey) => String(deliveryKey).split('|')[0];

/**
 * How many times each call was written, by the call the load names it by (its first key field,
 * which starts its `delivery_key`: a dialer event's key goes on with `|event|state|timestamp`).
 * Two table rows of one call, which only differing keys could make, add up, so they count as a
 * call written twice rather than hide each other.
 * @param {Awaited<ReturnType<typeof import('../../lib/services').startPostgres>>} postgres
 * @returns {Map<string, number>}
 */
function writesByKey(postgres) {
	/** @type {Map<string, number>} */
	const writes = new Map();
	for (const [key, count] of postgres.query(ROWS_DATABASE, `SELECT delivery_key, writes FROM ${ROWS_TABLE}`)) {
		const call = callOfDeliveryKey(key);
		writes.set(call, (writes.get(call) ?? 0) + Number(count));
	}
	return writes;
}

/**
 * How many table rows each call has, by the call the load names it by, as writesByKey reads it:
 * 1 when every copy of the call carried the same `delivery_key`, so the upsert kept one row.
 * @param {Awaited<ReturnType<typeof import('../../lib/services').startPostgres>>} postgres
 * @returns {Map<string, number>}
 */
function tableRowsByCall(postgres) {
	/** @type {Map<string, number>} */
	const rows = new Map();
	for (const [key] of postgres.query(ROWS_DATABASE, `SELECT delivery_key FROM ${ROWS_TABLE}`)) {
		const call = callOfDeliveryKey(key);
		rows.set(call, (rows.get(call) ?? 0) + 1);
	}
	return rows;
}

module.exports = { callOfDeliveryKey, prepareRowStore, tableRowsByCall, WRITE_ROW_NODE, writeRowNode, writesByKey };
