// @ts-check
/**
 * The backfill a user runs once calls went missing, as `npm run test:scale` runs it after its
 * killed worker: the ready-made workflow of examples/backfill-yesterdays-calls.json (Schedule
 * Trigger → the AIRudder node's Find Calls → Google Sheets "Append or Update Row" on the call's
 * key), run once against the local AIRudder API (scripts/lib/localAirudderApi.js), and the
 * destination judged after it: every genuine row of the load there once, written only through the
 * upsert.
 */
const fs = require('node:fs');
const path = require('node:path');

const { findTrigger } = require('../../lib/registeredTriggers');
const { REPO_ROOT } = require('../../lib/repoRoot');

/** @typedef {import('../../lib/load/plan').PlannedCallback} PlannedCallback */

const BACKFILL_EXAMPLE = path.join(REPO_ROOT, 'examples', 'backfill-yesterdays-calls.json');
const AIRUDDER_NODE_TYPE = 'n8n-nodes-airudder.airudderAction';
/** The only callbacks AIRudder's API gives back: Find Calls lists Workflow Call Completed calls. */
const LISTED_BY_FIND_CALLS = 'workflow-call-completed';
const API_CREDENTIAL = { id: 'AirudderBackfillApi', name: 'AIRudder API (local)' };
const BACKFILL_WORKFLOW_ID = 'AirudderBackfill';
const BACKFILL_TRIGGER = 'Run Once';

/**
 * The AIRudder API credential on the local AIRudder API at `baseUrl`, with the App Key and Secret
 * it accepts by default, as n8n's CLI imports credentials.
 * @param {string} baseUrl
 */
function backfillApiCredential(baseUrl) {
	return { ...API_CREDENTIAL, type: 'airudderApi', data: { appKey: 'local-app-key', appSecret: 'local-app-secret', baseUrl, aesSecretKey: '' } };
}

/**
 * The example, read from its file, with its Find Calls node and parameters kept; what differs:
 * a Manual Trigger in the Schedule Trigger's place, so that it runs once when asked; `lastNode`
 * (the scale run's upsert, built for Workflow Call Completed items) in Google Sheets' place; the
 * credential; and the time window (below).
 * @param {import('../../lib/demo').LastNode} lastNode
 */
function backfillWorkflow(lastNode) {
	const example = JSON.parse(fs.readFileSync(BACKFILL_EXAMPLE, 'utf8'));
	const findCalls = example.nodes.find((/** @type {{ type: string }} */ node) => node.type === AIRUDDER_NODE_TYPE);
	const { definition } = findTrigger(LISTED_BY_FIND_CALLS);
	// "Yesterday" would find nothing: the load's calls are copies of AIRudder's sample call
	// (plan.js markedPayload), so they started on the sample's day; the window is that day.
	const [{ call_start_time: started }] = /** @type {Array<{ call_start_time: string }>} */ (definition.sample.details);
	const day = started.slice(0, 10);
	const nextDay = new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 3_600_000).toISOString().slice(0, 10);
	const write = { ...lastNode(definition), id: `${BACKFILL_WORKFLOW_ID}-write`, position: [480, 0] };
	return {
		id: BACKFILL_WORKFLOW_ID,
		name: `${example.name} (run once, into PostgreSQL)`,
		active: false,
		settings: example.settings,
		pinData: {},
		nodes: [
			{ id: `${BACKFILL_WORKFLOW_ID}-manual`, name: BACKFILL_TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				...findCalls,
				parameters: { ...findCalls.parameters, startTime: `${day}T00:00:00`, endTime: `${nextDay}T00:00:00` },
				credentials: { airudderApi: API_CREDENTIAL },
			},
			write,
		],
		connections: {
			[BACKFILL_TRIGGER]: { main: [[{ node: findCalls.name, type: 'main', index: 0 }]] },
			[findCalls.name]: { main: [[{ node: write.name, type: 'main', index: 0 }]] },
		},
	};
}

/**
 * What AIRudder's API holds of the callbacks it sent: every genuine Workflow Call Completed
 * callback, whatever n8n answered.
 * @param {PlannedCallback[]} callbacks
 */
function callsAirudderHolds(callbacks) {
	return callbacks.filter((callback) => callback.genuine && callback.webhookPath === LISTED_BY_FIND_CALLS).map((callback) => callback.payload);
}

/**
 * The destination after the backfill. Every genuine row of the load must be there (the primary
 * key keeps it one row); the backfill, an upsert, adds one write to each row it listed and
 * touches no other, so a row it wrote again now has `writes` above 1 (reported, expected).
 * @param {{ callbacks: PlannedCallback[], before: Map<string, number>, after: Map<string, number>, written: number, status: string }} run
 *   `callbacks` every callback sent, `before` and `after` the table's writes per key around the
 *   backfill, `written` the items the backfill's last node wrote, `status` its execution's
 */
function judgeBackfill({ callbacks, before, after, written, status }) {
	const rows = callbacks.filter(({ genuine }) => genuine).flatMap((callback) => callback.rows.map((row) => ({ row, listed: callback.webhookPath === LISTED_BY_FIND_CALLS })));
	const keys = (/** @type {typeof rows} */ entries) => entries.map(({ row }) => row);
	const missingBefore = rows.filter(({ row }) => !before.has(row));
	const missingAfter = rows.filter(({ row }) => !after.has(row));
	const notOneUpsert = rows.filter(({ row, listed }) => (after.get(row) ?? 0) - (before.get(row) ?? 0) !== (listed ? 1 : 0));
	const known = new Set(keys(rows));
	const strangers = [...after.keys()].filter((key) => !known.has(key));
	const held = rows.filter(({ listed }) => listed).length;
	const report = {
		calls_held_by_airudder_api: held,
		execution_status: status,
		calls_written_by_backfill: written,
		rows_missing_before: missingBefore.length,
		rows_brought_back: missingBefore.filter(({ row }) => after.has(row)).length,
		rows_written_again_by_backfill: rows.filter(({ row, listed }) => listed && before.has(row)).length,
		rows_missing_after: missingAfter.filter(({ listed }) => listed).length,
		rows_missing_find_calls_cannot_list: missingAfter.filter(({ listed }) => !listed).length,
	};
	const named = (/** @type {typeof rows} */ entries) => keys(entries).slice(0, 10).join(', ');
	const problems = [
		status !== 'success' && `the backfill's execution ended ${status}`,
		written !== held && `the backfill wrote ${written} calls, not the ${held} AIRudder's API holds`,
		report.rows_missing_after > 0 && `after the backfill, ${report.rows_missing_after} Workflow Call Completed rows are still missing: ${named(missingAfter.filter(({ listed }) => listed))}`,
		report.rows_missing_find_calls_cannot_list > 0 &&
			`${report.rows_missing_find_calls_cannot_list} rows of callbacks Find Calls cannot list (predictive dialer, chatbot, inbound) are missing, and no backfill brings them back: ${named(missingAfter.filter(({ listed }) => !listed))}`,
		notOneUpsert.length > 0 &&
			`the backfill changed ${notOneUpsert.length} rows other than by one upsert of each call it listed: ${notOneUpsert.slice(0, 10).map(({ row }) => `${row} (writes ${before.get(row) ?? 'none'} → ${after.get(row) ?? 'none'})`).join(', ')}`,
		strangers.length > 0 && `the table holds ${strangers.length} rows no callback of the load carries: ${strangers.slice(0, 10).join(', ')}`,
	].filter((problem) => typeof problem === 'string');
	return { report, problems };
}

module.exports = { BACKFILL_TRIGGER, backfillApiCredential, backfillWorkflow, callsAirudderHolds, judgeBackfill };
