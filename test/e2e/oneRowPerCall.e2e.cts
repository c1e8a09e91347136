/**
 * One row per call (issue 36): every demo workflow of `npm start` upserts its trigger's items into
 * the trigger's n8n Data table on delivery_key, so a callback AIRudder delivers again, as it does
 * after a late answer, updates its rows instead of adding them. Runs inside a real n8n of each
 * version of scripts/lib/e2eVersions.js (AIRUDDER_E2E_N8N chooses), started as npm start starts
 * it, sends every callback AES-encrypted and signed as the send-sample command npm start prints
 * does (`--encrypt`), and reads the rows through n8n's REST API, as its Data tables tab does.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

import { dataTableRows, ensureDataTable, tableColumnsOf } from '../../scripts/lib/dataTables';
import { demoTableName } from '../../scripts/lib/demo';
import { e2eVersions } from '../../scripts/lib/e2eVersions';
import { stopTrackedOnExit } from '../../scripts/lib/processes';
import { launchSuiteN8n, sendToDemoWorkflow, type SuiteN8n } from '../helpers/suiteN8n.cjs';
import { triggerByClass } from '../helpers/triggers.cjs';

stopTrackedOnExit();

const workflowCalls = triggerByClass('AirudderWorkflowCallCompletedTrigger');
const statusChanges = triggerByClass('AirudderWorkflowStatusChangedTrigger');
/** The three calls of the Workflow Call Completed sample, by call id. */
const SAMPLE_CALL_IDS = ['ic1689265f0a4c2fe7b7da5b5', 'ic2a7c31d84e5b4f0c9a1e6d2', 'ic3b8d42e95f6c5a1dab2f7e3'];

describe.each(e2eVersions())('the demo workflows of npm start, inside a real n8n %s', (version) => {
	let local: SuiteN8n;

	beforeAll(async () => {
		local = await launchSuiteN8n('rows', version, { credentials: [], workflows: [] });
	}, 600_000);

	afterAll(async () => {
		await local?.instance.stop();
	});

	function demoOf(webhookPath: string) {
		const found = local.workflows.find(({ trigger }) => trigger.definition.webhookPath === webhookPath);
		if (!found) throw new Error(`npm start has no demo workflow for ${webhookPath}`);
		return found;
	}

	/** Sends an encrypted, signed callback as AIRudder does and waits for the demo workflow's execution. */
	async function send(webhookPath: string, payloadText: string) {
		const execution = await sendToDemoWorkflow(local, demoOf(webhookPath), payloadText, { encrypt: true });
		expect({ status: execution.status, error: execution.error }).toEqual({ status: 'success', error: null });
		return execution;
	}

	const rowsOf = async (webhookPath: string) => await dataTableRows(local.instance, local.projectId, demoOf(webhookPath).tableId);

	it('keeps one row per call when AIRudder delivers the same callback twice, and a later copy updates the row', async () => {
		const sample = workflowCalls.definition.sample as { details: Array<Record<string, unknown>> };
		// The sample as `npm run send-sample` sends it.
		const text = JSON.stringify(sample, null, 2);
		await send('workflow-call-completed', text);
		await send('workflow-call-completed', text);
		const rows = await rowsOf('workflow-call-completed');
		expect(rows.map((row) => row.delivery_key)).toEqual(SAMPLE_CALL_IDS);
		expect(rows.map((row) => row.call_id)).toEqual(SAMPLE_CALL_IDS);

		const [first, ...others] = sample.details;
		await send('workflow-call-completed', JSON.stringify({ ...sample, details: [{ ...first, result_label: 'Promise to pay, updated' }, ...others] }));
		const updated = await rowsOf('workflow-call-completed');
		expect(updated.map((row) => [row.delivery_key, row.result_label])).toEqual([
			[SAMPLE_CALL_IDS[0], 'Promise to pay, updated'],
			...rows.slice(1).map((row) => [row.delivery_key, row.result_label]),
		]);
		expect(updated.map((row) => row.id)).toEqual(rows.map((row) => row.id));
	});

	it('keeps one row for an event without a call id, keyed on the digest of the whole event', async () => {
		const [fixture] = statusChanges.fixtures;
		await send('workflow-status-changed', fixture.body);
		await send('workflow-status-changed', fixture.body);
		const rows = await rowsOf('workflow-status-changed');
		expect(rows.map((row) => [row.delivery_key, row.workflow_id, row.status])).toEqual([
			['Tnxh2UWRuAZ8FKOACxKAEB', '8e364f6729e04b5c9e1e2f4c5c2d9b2a', 'finished'],
		]);
	});

	it('finds its table again on the next npm start, with its rows, and adds a column a newer package brings', async () => {
		const { trigger, tableId } = demoOf('workflow-status-changed');
		const columns = [...tableColumnsOf(trigger.definition).map(({ tableColumn }) => tableColumn), 'column_of_a_newer_package'];
		await expect(ensureDataTable(local.instance, local.projectId, demoTableName(trigger.definition), columns)).resolves.toBe(tableId);
		const listed = (await local.instance.rest('GET', `/projects/${local.projectId}/data-tables/${tableId}/columns`)) as Array<{ name: string }>;
		expect(listed.map(({ name }) => name)).toEqual(columns);
		expect((await rowsOf('workflow-status-changed')).map((row) => row.delivery_key)).toEqual(['Tnxh2UWRuAZ8FKOACxKAEB']);
	});

	it('still saves an invalid callback as a JSON file, and adds no row for it', async () => {
		const execution = await send('workflow-call-completed', '{"details": "not a list"');
		const file = join(local.instance.filesFolder, `invalid-workflow-call-completed-${execution.id}.json`);
		expect(existsSync(file)).toBe(true);
		expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([expect.objectContaining({ callbackType: workflowCalls.definition.displayName, stage: 'parse' })]);
		expect((await rowsOf('workflow-call-completed')).map((row) => row.delivery_key)).toEqual(SAMPLE_CALL_IDS);
	});
});
