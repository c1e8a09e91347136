// @ts-check
/**
 * Bounded loopback load and its audit: a mix of genuine AIRudder callbacks (several types, some
 * AES-encrypted, some with 100-call batches) plus forgeries, sent at a fixed concurrency, then
 * checked one by one against n8n's own execution records. Used by the end-to-end load test, the
 * queue-mode scale test and the benchmark.
 */
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { buildCallbackRequest, DEMO_SECRETS, withToken } = require('./callbackRequest');
const { minimalTriggerWorkflow } = require('./demo');
const { cacheRoot } = require('./runtime');

/** @typedef {{ url: URL, body: Buffer, headers: Record<string, string> }} LoadRequest */

/**
 * Posts one request and settles however it ends: answered (its status, and the time since
 * `since`), or failed, reset or timed out (status 0, and why). It never rejects, so a load
 * waiting for all its requests cannot hang on one.
 *
 * A server closes a kept-alive connection that has been idle for its keep-alive timeout (5 s in
 * Node), and a request written onto it at that moment is reset before the server has read it.
 * Node's documentation says to resend such a request on a new connection, and so does this
 * sender, a few times at most, counting each in `resends`; a resend of a request the server had
 * in fact taken would show in the audit as a callback that ran twice.
 * @param {http.Agent} agent
 * @param {LoadRequest} target
 * @param {{ since: number, timeoutMs: number }} timing
 * @returns {Promise<{ status: number, ms?: number, failure?: string, resends: number }>}
 */
async function sendOne(agent, target, timing) {
	for (let resends = 0; ; resends++) {
		const attempt = await sendOnce(agent, target, timing);
		if (!attempt.closedWhileIdle || resends === MAX_RESENDS) return { ...attempt.answer, resends };
	}
}

/** More than this many idle connections closing under one request would be a fault, not the race. */
const MAX_RESENDS = 3;

/**
 * @param {http.Agent} agent
 * @param {LoadRequest} target
 * @param {{ since: number, timeoutMs: number }} timing
 * @returns {Promise<{ answer: { status: number, ms?: number, failure?: string }, closedWhileIdle: boolean }>}
 */
function sendOnce(agent, target, timing) {
	return new Promise((resolve) => {
		/** @param {string} failure */
		const fail = (failure, closedWhileIdle = false) => resolve({ answer: { status: 0, failure }, closedWhileIdle });
		const request = http.request(
			target.url,
			{ method: 'POST', agent, headers: { ...target.headers, 'Content-Length': String(target.body.length) }, timeout: timing.timeoutMs },
			(response) => {
				response.on('error', (error) => fail(`the answer broke off (${errorCode(error)})`));
				response.on('end', () => resolve({ answer: { status: response.statusCode ?? 0, ms: performance.now() - timing.since }, closedWhileIdle: false }));
				response.resume();
			},
		);
		request.on('error', (error) => fail(errorCode(error), request.reusedSocket && errorCode(error) === 'ECONNRESET'));
		request.on('timeout', () => {
			fail(`no answer within ${timing.timeoutMs} ms`);
			request.destroy();
		});
		request.on('close', () => fail('the connection closed without an answer'));
		request.end(target.body);
	});
}

/** @param {unknown} error */
const errorCode = (error) => /** @type {NodeJS.ErrnoException} */ (error).code ?? String(error);

/**
 * Sends `count` requests with at most `concurrency` in flight and times each acknowledgement.
 * `statuses[i]` is the HTTP status of request i, or 0 if it got no answer, and then
 * `failureReasons[i]` says why; `resends` counts requests resent after an idle connection closed.
 * @param {(index: number) => LoadRequest} requestAt
 * @param {number} count
 * @param {number} concurrency
 */
async function drive(requestAt, count, concurrency) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	/** @type {number[]} */
	const latencies = [];
	const statuses = new Array(count).fill(0);
	/** @type {(string | undefined)[]} */
	const failureReasons = new Array(count).fill(undefined);
	let resends = 0;
	let next = 0;
	const started = performance.now();
	const worker = async () => {
		while (next < count) {
			const index = next++;
			const answer = await sendOne(agent, requestAt(index), { since: performance.now(), timeoutMs: 60_000 });
			statuses[index] = answer.status;
			failureReasons[index] = answer.failure;
			resends += answer.resends;
			if (answer.ms !== undefined) latencies.push(answer.ms);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	agent.destroy();
	const failures = statuses.filter((status) => status !== 200).length;
	return { seconds: (performance.now() - started) / 1000, latencies, statuses, failureReasons, resends, failures };
}

/**
 * Sends requests at a fixed rate for `seconds`, whatever the answers take, as AIRudder does: it
 * does not wait for one callback's answer before sending the next. Each latency is counted from
 * the moment the request was due, so a sender that falls behind does not hide n8n's delay.
 * Every request has its own connection slot; none waits longer than `timeoutMs` for its answer.
 * @param {(index: number) => LoadRequest} requestAt
 * @param {{ ratePerSecond: number, seconds: number, timeoutMs: number }} options
 */
async function driveAtRate(requestAt, options) {
	const count = Math.max(1, Math.round(options.ratePerSecond * options.seconds));
	const agent = new http.Agent({ keepAlive: true });
	/** @type {number[]} */
	const latencies = [];
	const statuses = new Array(count).fill(0);
	/** @type {(string | undefined)[]} */
	const failureReasons = new Array(count).fill(undefined);
	let resends = 0;
	const started = performance.now();
	/** @type {Promise<void>[]} */
	const answers = [];
	for (let index = 0; index < count; index++) {
		const due = started + (index * 1000) / options.ratePerSecond;
		const wait = due - performance.now();
		if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		answers.push(
			sendOne(agent, requestAt(index), { since: due, timeoutMs: options.timeoutMs }).then((answer) => {
				statuses[index] = answer.status;
				failureReasons[index] = answer.failure;
				resends += answer.resends;
				if (answer.ms !== undefined) latencies.push(answer.ms);
			}),
		);
	}
	await Promise.all(answers);
	agent.destroy();
	const failures = statuses.filter((status) => status !== 200).length;
	return { count, seconds: (performance.now() - started) / 1000, latencies, statuses, failureReasons, resends, failures };
}

/**
 * The nearest-rank percentile: the smallest value that at least `fraction` of the values do not
 * exceed. With fewer than 100 values, p99 is the largest.
 * @param {number[]} sorted ascending
 * @param {number} fraction
 */
const percentile = (sorted, fraction) => sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];

/** Callback types in the mix: batched calls, an unwrapped dialer event, a chat session, inbound calls. */
const MIX_TYPES = ['workflow-call-completed', 'predictive-dialer-status', 'chatbot-session-ended', 'inbound-call-success'];

/** Every `BATCH_EVERY`th callback carries 100 calls; every `FORGED_EVERY`th is a forgery. */
const BATCH_EVERY = 20;
const BATCH_CALLS = 100;
const FORGED_EVERY = 50;

/** One trigger → Set workflow per type in the mix, on the demo credential (HMAC, token, AES). */
function loadWorkflows() {
	return MIX_TYPES.map((webhookPath, index) => minimalTriggerWorkflow(`AirudderLoad${index}`, webhookPath));
}

/**
 * The definition's sample with its call id replaced by `marker` (or `marker-<n>` per call), so
 * every item in n8n's records names the callback it came from.
 * @param {import('../../nodes/Airudder/definition').CallbackDefinition} definition
 * @param {string} marker
 * @param {number} calls
 */
function markedPayload(definition, marker, calls) {
	const key = /** @type {string[]} */ (definition.deliveryKey)[0];
	const payload = structuredClone(definition.sample);
	if (definition.split) {
		const [first] = /** @type {object[]} */ (payload[definition.split.field]);
		payload[definition.split.field] = Array.from({ length: calls }, (_, index) => ({ ...first, [key]: `${marker}-${index}` }));
	} else if (definition.unwrap) {
		payload[definition.unwrap.field] = { .../** @type {object} */ (payload[definition.unwrap.field]), [key]: marker };
	} else {
		payload[key] = marker;
	}
	return payload;
}

/**
 * @typedef {object} PlannedCallback
 * @property {string} marker
 * @property {string} workflowId
 * @property {boolean} genuine
 * @property {number} items expected on the main output
 * @property {LoadRequest} request
 */

/** @typedef {ReturnType<typeof minimalTriggerWorkflow>} LoadWorkflow */

/**
 * @param {LoadWorkflow} target
 * @param {string} marker
 * @param {{ calls: number, encrypt: boolean, genuine: boolean }} shape
 * @param {(path: string) => string} urlOf the production URL of a workflow's webhook path
 * @returns {PlannedCallback}
 */
function planCallback(target, marker, shape, urlOf) {
	const sent = buildCallbackRequest(JSON.stringify(markedPayload(target.definition, marker, shape.calls)), {
		encrypt: shape.encrypt,
		scheme: DEMO_SECRETS.signatureScheme,
		signingKey: shape.genuine ? DEMO_SECRETS.signingSecret : 'a-forger-s-guess',
	});
	return {
		marker,
		workflowId: target.workflow.id,
		genuine: shape.genuine,
		items: target.definition.split ? shape.calls : 1,
		request: { url: new URL(withToken(urlOf(target.path), DEMO_SECRETS.urlToken)), body: Buffer.from(sent.body), headers: sent.headers },
	};
}

/**
 * The mix: the types of `loadWorkflows()` in turn, every `BATCH_EVERY`th a 100-call batch, odd
 * ones encrypted, every `FORGED_EVERY`th forged.
 * @param {number} count
 * @param {(path: string) => string} urlOf
 * @returns {PlannedCallback[]}
 */
function planLoad(count, urlOf) {
	const workflows = loadWorkflows();
	return Array.from({ length: count }, (_, index) => {
		const batched = index % BATCH_EVERY === 0;
		const target = batched ? workflows[0] : workflows[index % workflows.length];
		const shape = { calls: batched ? BATCH_CALLS : 1, encrypt: index % 2 === 1, genuine: index % FORGED_EVERY !== FORGED_EVERY - 1 };
		return planCallback(target, `L${index}`, shape, urlOf);
	});
}

/**
 * @typedef {object} ExecutionSource
 * @property {(id: string) => ReturnType<import('./n8nClient').N8nClient['execution']>} execution
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
 * Counts, per planned callback, the executions and items that name it, among the executions n8n
 * recorded after `afterId` (taken before the load started).
 * @param {ExecutionSource} source
 * @param {PlannedCallback[]} plan
 * @param {{ afterId: number, timeoutMs: number, workflows?: LoadWorkflow[] }} options
 */
async function auditLoad(source, plan, options) {
	const workflows = options.workflows ?? loadWorkflows();
	const genuine = plan.filter((callback) => callback.genuine);
	const recorded = await recordedExecutionsAfter(source, options.afterId, options.timeoutMs);
	const ours = recorded.filter((execution) => workflows.some(({ workflow }) => workflow.id === execution.workflowId));

	/** @type {Map<string, { executions: Set<string>, items: number, status: string }>} */
	const byMarker = new Map(plan.map((callback) => [callback.marker, { executions: new Set(), items: 0, status: '' }]));
	const statuses = /** @type {Record<string, number>} */ ({});
	let unexpected = 0;
	const triggerNames = new Map(workflows.map(({ workflow, definition }) => [workflow.id, definition.displayName]));
	const keys = new Map(workflows.map(({ workflow, definition }) => [workflow.id, /** @type {string[]} */ (definition.deliveryKey)[0]]));
	for (const execution of ours) {
		statuses[execution.status] = (statuses[execution.status] ?? 0) + 1;
		const trigger = triggerNames.get(execution.workflowId) ?? '';
		// An execution that never ran on a worker still holds the trigger's items, queued.
		const items = execution.runData[trigger]?.[0]?.data?.main[0] ?? execution.queued[trigger]?.[0] ?? [];
		for (const { json } of items) {
			const marker = String(json[keys.get(execution.workflowId) ?? ''] ?? '').replace(/-\d+$/, '');
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
		statuses,
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
 * What a load run showed, as reported in the README: acknowledgements (every genuine callback
 * must get 200, every forgery 401), then the audit of n8n's records.
 * @param {{ n8nVersion: string, mode: string, concurrency?: number, rate?: number }} setting how the load was sent: at most `concurrency` in flight, or `rate` per second
 * @param {PlannedCallback[]} plan
 * @param {Awaited<ReturnType<typeof drive>>} run
 * @param {Awaited<ReturnType<typeof auditLoad>>} audit
 */
function loadReport(setting, plan, run, audit) {
	const sorted = [...run.latencies].sort((a, b) => a - b);
	const genuine = plan.filter((callback) => callback.genuine);
	return {
		n8n_version: setting.n8nVersion,
		mode: setting.mode,
		callbacks: plan.length,
		genuine: genuine.length,
		forged: plan.length - genuine.length,
		...(setting.rate === undefined ? { concurrency: setting.concurrency } : { callbacks_per_s_sent: setting.rate }),
		seconds: Number(run.seconds.toFixed(1)),
		callbacks_per_s: Number((plan.length / run.seconds).toFixed(1)),
		p50_ack_ms: Math.round(percentile(sorted, 0.5)),
		p99_ack_ms: Math.round(percentile(sorted, 0.99)),
		genuine_not_answered_200: answersOtherThan(200, true, plan, run),
		forged_not_answered_401: answersOtherThan(401, false, plan, run),
		resent_after_idle_connection_closed: run.resends,
		lost: audit.lost.length,
		duplicated: audit.duplicated.length,
		executions: audit.statuses,
		not_succeeded: audit.notSucceeded,
		items_expected: audit.itemsExpected,
		items_found: audit.itemsFound,
	};
}

/**
 * The genuine callbacks (or the forgeries) whose answer was not `expected`, each with what it got
 * instead: `L942 (503)`, or `L942 (ECONNREFUSED)` when no answer came.
 * @param {number} expected
 * @param {boolean} genuine
 * @param {PlannedCallback[]} plan
 * @param {{ statuses: number[], failureReasons: (string | undefined)[] }} run
 */
const answersOtherThan = (expected, genuine, plan, run) =>
	plan.flatMap((callback, index) =>
		callback.genuine === genuine && run.statuses[index] !== expected ? [`${callback.marker} (${run.statuses[index] || run.failureReasons[index]})`] : [],
	);

/**
 * Keeps a report where the README's figures come from: `<cache>/reports/<name>.json`.
 * @param {string} name
 * @param {object} report
 */
function saveReport(name, report) {
	const folder = path.join(cacheRoot(), 'reports');
	fs.mkdirSync(folder, { recursive: true });
	fs.writeFileSync(path.join(folder, `${name}.json`), JSON.stringify(report, null, 2));
}

module.exports = { auditLoad, drive, driveAtRate, loadReport, loadWorkflows, percentile, planCallback, planLoad, saveReport };
