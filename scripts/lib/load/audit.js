// @ts-check
/**
 * The audit of a load against n8n's own execution records: for every planned callback, whether it
 * ran exactly once with the items it carried, and that no forgery ran.
 */
const { loadWorkflows } = require('./plan');

/** @typedef {import('./plan').PlannedCallback} PlannedCallback */
/** @typedef {import('./plan').LoadWorkflow} LoadWorkflow */

/**
 * @typedef {object} ExecutionSource
 * @property {(id: string) => ReturnType<import('../n8nClient').N8nClient['execution']>} execution
 */

const UNFINISHED = ['new', 'running', 'waiting'];
/** Execution ids are consecutive; this many missing in a row means there are no more. */
const END_OF_IDS = 25;

/**
 * Reads every execution n8n recorded after `afterId`, by id, waiting for unfinished ones (or until
 * `timeoutMs` passes). n8n's paged execution list is not used: its pages skip and repeat rows
 * while executions change status in queue mode.
 * @param {ExecutionSource} source
 * @param {number} afterId
 * @param {number} timeoutMs
 */
async function recordedExecutionsAfter(source, afterId, timeoutMs) {
	/** @type {Map<string, NonNullable<Awaited<ReturnType<ExecutionSource['execution']>>>>} */
	const found = new Map();
	const read = async (/** @type {string} */ id) => {
		const execution = await source.execution(id);
		if (execution) found.set(id, execution);
		return execution !== undefined;
	};
	let missingInARow = 0;
	for (let id = afterId + 1; missingInARow < END_OF_IDS; id += 8) {
		const batch = Array.from({ length: 8 }, (_, offset) => String(id + offset));
		for (const exists of await Promise.all(batch.map(read))) missingInARow = exists ? 0 : missingInARow + 1;
	}
	const deadline = Date.now() + timeoutMs;
	let unfinished = [...found.values()].filter((execution) => UNFINISHED.includes(execution.status));
	while (unfinished.length > 0 && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 2000));
		await Promise.all(unfinished.map(({ id }) => read(id)));
		unfinished = [...found.values()].filter((execution) => UNFINISHED.includes(execution.status));
	}
	return [...found.values()];
}

/**
 * The executions of `workflows` n8n recorded after `afterId`, each with the items its trigger put
 * out and the delivery key that names their callback.
 * @param {ExecutionSource} source
 * @param {LoadWorkflow[]} workflows
 * @param {{ afterId: number, timeoutMs: number }} options
 */
async function loadExecutions(source, workflows, options) {
	const recorded = await recordedExecutionsAfter(source, options.afterId, options.timeoutMs);
	const byId = new Map(workflows.map(({ workflow, definition }) => [workflow.id, definition]));
	return recorded.flatMap((execution) => {
		const definition = byId.get(execution.workflowId);
		if (!definition) return [];
		const trigger = definition.displayName;
		// An execution that never ran on a worker still holds the trigger's items, queued.
		const items = execution.runData[trigger]?.[0]?.data?.main[0] ?? execution.queued[trigger]?.[0] ?? [];
		const key = /** @type {string[]} */ (definition.deliveryKey)[0];
		return [{ execution, items, rowOf: (/** @type {{ json: Record<string, unknown> }} */ item) => String(item.json[key] ?? '') }];
	});
}

/** How many executions ended in each status. @param {Array<{ execution: { status: string } }>} executions */
function statusCounts(executions) {
	const counts = /** @type {Record<string, number>} */ ({});
	for (const { execution } of executions) counts[execution.status] = (counts[execution.status] ?? 0) + 1;
	return counts;
}

/**
 * Counts, per planned callback, the executions and items that name it, among the executions n8n
 * recorded after `afterId` (taken before the load started).
 * @param {ExecutionSource} source
 * @param {PlannedCallback[]} plan
 * @param {{ afterId: number, timeoutMs: number, workflows?: LoadWorkflow[] }} options
 */
async function auditLoad(source, plan, options) {
	const genuine = plan.filter((callback) => callback.genuine);
	const ours = await loadExecutions(source, options.workflows ?? loadWorkflows(), options);

	/** @type {Map<string, { executions: Set<string>, items: number, status: string }>} */
	const byMarker = new Map(plan.map((callback) => [callback.marker, { executions: new Set(), items: 0, status: '' }]));
	let unexpected = 0;
	for (const { execution, items, rowOf } of ours) {
		for (const item of items) {
			const marker = rowOf(item).replace(/-\d+$/, '');
			const entry = byMarker.get(marker);
			if (!entry) {
				unexpected++;
				continue;
			}
			entry.executions.add(execution.id);
			entry.items++;
			entry.status = execution.status;
		}
	}

	const lost = genuine.filter((callback) => byMarker.get(callback.marker)?.executions.size === 0).map((callback) => callback.marker);
	const duplicated = genuine.filter((callback) => (byMarker.get(callback.marker)?.executions.size ?? 0) > 1).map((callback) => callback.marker);
	const wrongItemCount = genuine
		.filter((callback) => {
			const entry = byMarker.get(callback.marker);
			return entry && entry.executions.size === 1 && entry.items !== callback.items;
		})
		.map((callback) => callback.marker);
	// Executions that did not succeed (on a killed worker, say) keep their items for a retry in n8n.
	const notSucceeded = genuine
		.filter((callback) => {
			const entry = byMarker.get(callback.marker);
			return entry && entry.executions.size === 1 && entry.status !== 'success';
		})
		.map((callback) => ({ marker: callback.marker, status: byMarker.get(callback.marker)?.status }));
	const forgeriesExecuted = plan.filter((callback) => !callback.genuine && (byMarker.get(callback.marker)?.executions.size ?? 0) > 0).length;
	return {
		executions: ours.length,
		statuses: statusCounts(ours),
		lost,
		duplicated,
		wrongItemCount,
		notSucceeded,
		forgeriesExecuted,
		unexpectedItems: unexpected,
		itemsExpected: genuine.reduce((sum, callback) => sum + callback.items, 0),
		itemsFound: [...byMarker.values()].reduce((sum, entry) => sum + entry.items, 0),
	};
}

/**
 * How many times each row of the genuine callbacks reached the node after the trigger
 * (`downstream`), which is what lands in the user's sheet: once, twice or more, or never. An
 * execution that did not succeed (its worker killed, say) may have started without its rows
 * ever getting there; each is named with its status.
 * @param {ExecutionSource} source
 * @param {PlannedCallback[]} plan
 * @param {{ afterId: number, timeoutMs: number, workflows: LoadWorkflow[], downstream: string }} options
 */
async function auditRows(source, plan, options) {
	const ours = await loadExecutions(source, options.workflows, options);
	/** @type {Map<string, number>} */
	const reached = new Map(plan.filter((callback) => callback.genuine).flatMap((callback) => callback.rows.map((row) => [row, 0])));
	for (const { execution, items, rowOf } of ours) {
		const after = /** @type {Array<{ pairedItem?: { item: number } }>} */ (execution.runData[options.downstream]?.[0]?.data?.main[0] ?? []);
		after.forEach((item, index) => {
			const row = rowOf(items[item.pairedItem?.item ?? index] ?? { json: {} });
			if (reached.has(row)) reached.set(row, (reached.get(row) ?? 0) + 1);
		});
	}
	const rows = [...reached.entries()];
	return {
		executions: ours.length,
		statuses: statusCounts(ours),
		notSucceeded: ours.filter(({ execution }) => execution.status !== 'success').map(({ execution }) => `#${execution.id} (${execution.status})`),
		rowsExpected: rows.length,
		once: rows.filter(([, count]) => count === 1).length,
		twiceOrMore: rows.filter(([, count]) => count > 1).map(([row]) => row),
		never: rows.filter(([, count]) => count === 0).map(([row]) => row),
		/** How many times each row reached `downstream`, by its delivery key. */
		reached,
	};
}

module.exports = { auditLoad, auditRows };
