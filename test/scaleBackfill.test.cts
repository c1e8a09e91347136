/**
 * `npm run test:scale` passes or fails on the table after one run of the backfill example
 * (judgeBackfill): every genuine row of the load is there, each Workflow Call Completed call the
 * AIRudder API holds written once more by the upsert, and nothing else touched.
 */
import { judgeBackfill } from '../scripts/performance/lib/backfill';

type Run = Parameters<typeof judgeBackfill>[0];

const callback = (marker: string, webhookPath: string, rows: string[], genuine = true) =>
	({ marker, webhookPath, rows, genuine }) as unknown as Run['callbacks'][number];

/** Two listed calls in one callback, a dialer event Find Calls cannot list, and a forgery. */
const CALLBACKS = [
	callback('D0', 'workflow-call-completed', ['D0-0', 'D0-1']),
	callback('D1', 'predictive-dialer-status', ['D1']),
	callback('D2', 'workflow-call-completed', ['D2-0'], false),
];

const judged = (before: Array<[string, number]>, after: Array<[string, number]>, overrides: Partial<Run> = {}) =>
	judgeBackfill({ callbacks: CALLBACKS, before: new Map(before), after: new Map(after), written: 2, status: 'success', ...overrides });

describe('the verdict on the table after the backfill', () => {
	it('passes when every genuine row is there and each listed call was written once more', () => {
		expect(judged([['D0-0', 1], ['D0-1', 1], ['D1', 1]], [['D0-0', 2], ['D0-1', 2], ['D1', 1]])).toEqual({
			report: {
				calls_held_by_airudder_api: 2,
				execution_status: 'success',
				calls_written_by_backfill: 2,
				rows_missing_before: 0,
				rows_brought_back: 0,
				rows_written_again_by_backfill: 2,
				rows_missing_after: 0,
				rows_missing_find_calls_cannot_list: 0,
			},
			problems: [],
		});
	});

	it('counts a listed row that was missing and is there after as brought back, and passes', () => {
		const verdict = judged([['D0-0', 1], ['D1', 1]], [['D0-0', 2], ['D0-1', 1], ['D1', 1]]);
		expect(verdict.report).toMatchObject({ rows_missing_before: 1, rows_brought_back: 1, rows_written_again_by_backfill: 1 });
		expect(verdict.problems).toEqual([]);
	});

	it("does not ask for a forgery's row", () => {
		expect(judged([['D0-0', 1], ['D0-1', 1], ['D1', 1]], [['D0-0', 2], ['D0-1', 2], ['D1', 1]]).report.rows_missing_after).toBe(0);
	});

	it('fails, naming the row, when a listed call is still missing after the backfill', () => {
		expect(judged([['D0-0', 1], ['D1', 1]], [['D0-0', 2], ['D1', 1]], { written: 1 }).problems).toEqual([
			"the backfill wrote 1 calls, not the 2 AIRudder's API holds",
			'after the backfill, 1 Workflow Call Completed rows are still missing: D0-1',
			'the backfill changed 1 rows other than by one upsert of each call it listed: D0-1 (writes none → none)',
		]);
	});

	it('fails, counting it apart, when a row of a type Find Calls cannot list is missing', () => {
		const verdict = judged([['D0-0', 1], ['D0-1', 1]], [['D0-0', 2], ['D0-1', 2]]);
		expect(verdict.report).toMatchObject({ rows_missing_after: 0, rows_missing_find_calls_cannot_list: 1 });
		expect(verdict.problems).toEqual([
			'1 rows of callbacks Find Calls cannot list (predictive dialer, chatbot, inbound) are missing, and no backfill brings them back: D1',
		]);
	});

	it('fails when a listed row was written twice, or a row it cannot list was written at all', () => {
		expect(judged([['D0-0', 1], ['D0-1', 1], ['D1', 1]], [['D0-0', 3], ['D0-1', 2], ['D1', 2]]).problems).toEqual([
			'the backfill changed 2 rows other than by one upsert of each call it listed: D0-0 (writes 1 → 3), D1 (writes 1 → 2)',
		]);
	});

	it('fails on a row in the table that no callback of the load carries', () => {
		expect(judged([['D0-0', 1], ['D0-1', 1], ['D1', 1]], [['D0-0', 2], ['D0-1', 2], ['D1', 1], ['X9', 1]]).problems).toEqual([
			'the table holds 1 rows no callback of the load carries: X9',
		]);
	});

	it("fails when the backfill's execution did not succeed", () => {
		expect(judged([['D0-0', 1], ['D0-1', 1], ['D1', 1]], [['D0-0', 2], ['D0-1', 2], ['D1', 1]], { status: 'error' }).problems).toEqual([
			"the backfill's execution ended error",
		]);
	});
});
