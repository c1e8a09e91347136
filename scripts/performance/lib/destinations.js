// @ts-check
/**
 * Where the AIRudder emulator's rows land, as a user's workflow writes them: one row per call,
 * upserted on the call's key, so that a callback n8n runs again updates its row. In regular mode
 * an n8n Data Table (one per set of workflows), read back through n8n's API as the editor's
 * Data tables tab reads it; in queue mode PostgreSQL through n8n's Postgres node (rowStore.js).
 * A Data Table has no unique key, so two rows of one call there are a doubled row; PostgreSQL's
 * unique key cannot double one, so there its `writes` say how often a call was written.
 */
const { dataTableRows, ensureDataTable, personalProjectId, upsertRowParameters } = require('../../lib/dataTables');
const { callOfDeliveryKey, prepareRowStore, writeRowNode, writesByKey } = require('./rowStore');

/** @typedef {import('../../../nodes/Airudder/vocabulary/definition').CallbackDefinition} CallbackDefinition */
/** @typedef {import('../../lib/n8nClient').N8nClient} N8nClient */

const TABLE_COLUMNS = ['delivery_key', 'execution_id'];

/** What a user matches on, as docs/operations.md says: the item's delivery_key column. */
const DELIVERY_KEY_EXPRESSION = '={{ $json.delivery_key }}';

/** @param {string} set */
const tableNameOf = (set) => `Emulator ${set}`;

/**
 * @typedef {object} Destination
 * @property {string} description
 * @property {(set: string) => import('../../lib/demo').LastNode} writerFor the node that writes a set's rows
 * @property {((postgres: any) => { credentials: object[] }) | undefined} beforeN8n
 * @property {(n8n: N8nClient, sets: string[]) => Promise<void>} open makes the sets' tables in the running n8n
 * @property {(set: string) => Promise<Map<string, number>>} rowsPerKey how many rows the set's table holds per call key
 */

/**
 * An n8n Data Table per set, written by the Data Table node's Upsert on the item's delivery_key
 * (found by name, so the workflows can be imported before n8n has made the tables); its rows are
 * counted per call, as the plan names them.
 * @returns {Destination}
 */
function dataTableDestination() {
	/** @type {{ client?: N8nClient, projectId?: string, tableIds: Map<string, string> }} */
	const opened = { tableIds: new Map() };
	return {
		description: "an n8n Data Table per set, Upsert on the item's delivery_key, read through n8n's API",
		writerFor: (set) => () => ({
			name: 'Write Row',
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1,
			parameters: upsertRowParameters({ __rl: true, mode: 'name', value: tableNameOf(set) }, DELIVERY_KEY_EXPRESSION, {
				delivery_key: DELIVERY_KEY_EXPRESSION,
				execution_id: '={{ $execution.id }}',
			}),
		}),
		beforeN8n: undefined,
		open: async (client, sets) => {
			opened.client = client;
			opened.projectId = await personalProjectId(client);
			for (const set of sets) opened.tableIds.set(set, await ensureDataTable(client, opened.projectId, tableNameOf(set), TABLE_COLUMNS));
		},
		rowsPerKey: async (set) => {
			const { client, projectId } = opened;
			const tableId = opened.tableIds.get(set);
			if (!client || !projectId || !tableId) throw new Error(`The table of set ${set} was not opened.`);
			/** @type {Map<string, number>} */
			const counts = new Map();
			for (const row of await dataTableRows(client, projectId, tableId)) {
				const key = callOfDeliveryKey(row.delivery_key);
				counts.set(key, (counts.get(key) ?? 0) + 1);
			}
			return counts;
		},
	};
}

/**
 * PostgreSQL's table of rowStore.js, shared by the sets (their keys differ), written by n8n's
 * Postgres node's Insert or Update: one row per key; a key's count here is 1 when present.
 * @returns {Destination}
 */
function postgresDestination() {
	/** @type {{ postgres?: any }} */
	const prepared = {};
	return {
		description: "PostgreSQL through n8n's Postgres node, Insert or Update on the call's key (a unique key)",
		writerFor: () => writeRowNode,
		beforeN8n: (postgres) => {
			prepared.postgres = postgres;
			return prepareRowStore(postgres);
		},
		open: async () => undefined,
		rowsPerKey: async () => new Map([...writesByKey(prepared.postgres).keys()].map((key) => [key, 1])),
	};
}

/** @param {'regular' | 'queue'} mode */
const destinationFor = (mode) => (mode === 'queue' ? postgresDestination() : dataTableDestination());

module.exports = { destinationFor };
