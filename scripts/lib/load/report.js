// @ts-check
/**
 * What a load run showed, in the figures the README and BENCHMARKS.md report, and where those
 * reports are kept.
 */
const fs = require('node:fs');
const path = require('node:path');

const { cacheRoot } = require('../runtime');

/** @typedef {import('./plan').PlannedCallback} PlannedCallback */

/**
 * The nearest-rank percentile: the smallest value that at least `fraction` of the values do not
 * exceed. With fewer than 100 values, p99 is the largest.
 * @param {number[]} sorted ascending
 * @param {number} fraction
 */
const percentile = (sorted, fraction) => sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];

/**
 * What a load run showed, as reported in the README: acknowledgements (every genuine callback
 * must get 200, every forgery 401), then the audit of n8n's records.
 * @param {{ n8nVersion: string, mode: string, concurrency?: number, rate?: number }} setting how the load was sent: at most `concurrency` in flight, or `rate` per second
 * @param {PlannedCallback[]} plan
 * @param {Awaited<ReturnType<typeof import('./sender').drive>>} run
 * @param {Awaited<ReturnType<typeof import('./audit').auditLoad>>} audit
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
 * What AIRudder would have seen of a run of the emulator (airudderEmulator.js), and how often the
 * workflow wrote each row: callbacks sent, retries, callbacks dropped after the last retry, and
 * rows that reached the node after the trigger (the writer) once, twice or more, or never. Where
 * the rows landed is `destinationReport`'s.
 * @param {PlannedCallback[]} plan
 * @param {Awaited<ReturnType<typeof import('./airudderEmulator').emulateAirudder>>} emulation
 * @param {Omit<Awaited<ReturnType<typeof import('./audit').auditRows>>, 'reached'>} rows
 */
function emulatorReport(plan, emulation, rows) {
	const genuine = emulation.deliveries.filter((_, index) => plan[index].genuine);
	const attempts = genuine.reduce((sum, delivery) => sum + delivery.attempts.length, 0);
	// A first attempt with no answer is slower than any answered one.
	const firstAnswers = genuine.map(({ attempts: [first] }) => (first.status === 0 ? Number.POSITIVE_INFINITY : (first.ms ?? 0))).sort((a, b) => a - b);
	const rounded = (/** @type {number} */ fraction) => {
		const value = percentile(firstAnswers, fraction);
		return Number.isFinite(value) ? Math.round(value) : 'no answer';
	};
	return {
		seconds: Number(emulation.seconds.toFixed(1)),
		callbacks_sent: genuine.length,
		retries: attempts - genuine.length,
		acknowledged_at_first_attempt: genuine.filter(({ acknowledged, attempts: tries }) => acknowledged && tries.length === 1).length,
		acknowledged_after_retries: genuine.filter(({ acknowledged, attempts: tries }) => acknowledged && tries.length > 1).length,
		dropped_after_last_retry: genuine.filter(({ acknowledged }) => !acknowledged).length,
		first_attempt_p50_ms: rounded(0.5),
		first_attempt_p99_ms: rounded(0.99),
		forged_not_answered_401: plan.filter((callback, index) => !callback.genuine && emulation.deliveries[index].attempts[0].status !== 401).length,
		executions: rows.statuses,
		executions_not_succeeded: rows.notSucceeded,
		rows_expected: rows.rowsExpected,
		rows_written_once: rows.once,
		rows_written_twice_or_more: rows.twiceOrMore.length,
		rows_never_written: rows.never.length,
	};
}

/**
 * Where a run's rows landed, counted in the destination itself: of the genuine callbacks' rows,
 * those it holds once, more than once (doubled) or not at all (lost), and the lost ones whose
 * callback AIRudder got 200 for, which nothing would ever send again.
 * @param {PlannedCallback[]} plan
 * @param {Array<{ acknowledged: boolean }>} deliveries what AIRudder saw of each planned callback
 * @param {Map<string, number>} rowsPerKey the destination's rows per call key
 */
function destinationReport(plan, deliveries, rowsPerKey) {
	const rows = plan.flatMap((callback, index) =>
		callback.genuine ? callback.rows.map((row) => ({ row, acknowledged: deliveries[index].acknowledged, count: rowsPerKey.get(row) ?? 0 })) : [],
	);
	const lost = rows.filter(({ count }) => count === 0);
	const doubled = rows.filter(({ count }) => count > 1);
	return {
		destination_rows_expected: rows.length,
		destination_rows_once: rows.filter(({ count }) => count === 1).length,
		destination_rows_doubled: doubled.length,
		destination_rows_lost: lost.length,
		destination_rows_lost_though_answered_200: lost.filter(({ acknowledged }) => acknowledged).length,
		/** A few of each, by key, to look up in n8n's executions. */
		destination_rows_named: { lost: lost.slice(0, 10).map(({ row }) => row), doubled: doubled.slice(0, 10).map(({ row }) => row) },
	};
}

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

module.exports = { destinationReport, emulatorReport, loadReport, percentile, saveReport };
