/**
 * The promise, inside a real n8n: a genuine callback is never lost (its rows counted where they
 * land, an n8n Data Table the workflows upsert into), a forged one never starts a workflow, a
 * repeat is ignored when asked to, across a restart, and a spoofed X-Forwarded-For gets nobody
 * past the IP list. Runs on the n8n version we ship against.
 */
import { rmSync } from 'fs';
import { join } from 'path';

import { buildCallbackRequest, DEMO_SECRETS, postCallback, withToken } from '../../scripts/lib/callbackRequest';
import { minimalTriggerWorkflow } from '../../scripts/lib/demo';
import { auditLoad } from '../../scripts/lib/load/audit';
import { loadWorkflows, planLoad } from '../../scripts/lib/load/plan';
import { destinationReport, loadReport, saveReport } from '../../scripts/lib/load/report';
import { drive } from '../../scripts/lib/load/sender';
import { launchLocalN8n, packPackage } from '../../scripts/lib/localN8n';
import type { N8nInstance } from '../../scripts/lib/n8nInstance';
import { findFreePortPair } from '../../scripts/lib/ports';
import { stopTrackedOnExit } from '../../scripts/lib/processes';
import { cacheRoot, CURRENT_N8N } from '../../scripts/lib/runtime';
import { destinationFor } from '../../scripts/performance/lib/destinations';

// Nothing this suite starts outlives the jest run, even when a failure skips its own stopping.
stopTrackedOnExit();

const LOAD_CALLBACKS = 2000;
const LOAD_CONCURRENCY = 50;
const SIGNED = { scheme: DEMO_SECRETS.signatureScheme, signingKey: DEMO_SECRETS.signingSecret };
/** How long a refused or ignored callback gets to (wrongly) show up as an execution. */
const SETTLE_MS = 1500;

const repeats = minimalTriggerWorkflow('AirudderRepeats', 'workflow-call-completed', {
	additionalOptions: { ignoreRepeatedDeliveries: true },
});
/** Where the load's rows land: an n8n Data Table, each workflow upserting on the call's key. */
const destination = destinationFor('regular');
const loadTargets = loadWorkflows({ name: 'AirudderReliability', lastNode: destination.writerFor('reliability') });
const allowList = minimalTriggerWorkflow('AirudderAllowList', 'workflow-call-completed', { allowedIps: '203.0.113.0/24' });

describe(`reliability inside a real n8n ${CURRENT_N8N}`, () => {
	const userFolder = join(cacheRoot(), 'e2e', `reliability-${CURRENT_N8N}`);
	let instance: N8nInstance;
	/** The log of every n8n process this suite ran; a restart starts a new log file. */
	const logs: string[] = [];
	const urlOf = (path: string) => `${instance.baseUrl}/webhook/${path}`;

	beforeAll(async () => {
		rmSync(userFolder, { recursive: true, force: true });
		const local = await launchLocalN8n({
			version: CURRENT_N8N,
			userFolder,
			port: await findFreePortPair(),
			tarball: await packPackage(),
			extra: { credentials: [], workflows: [...loadTargets, repeats, allowList].map(({ workflow }) => workflow) },
			log: () => undefined,
		});
		instance = local.instance;
		await destination.open(instance, ['reliability']);
	}, 600_000);

	afterAll(async () => {
		await instance?.stop();
	});

	async function sendCall(workflow: typeof repeats, callId: string, encrypt = false) {
		const sample = workflow.definition.sample as { details: object[] };
		const payload = JSON.stringify({ ...sample, details: [{ ...sample.details[0], call_id: callId }] });
		const before = await instance.latestExecutionId(workflow.workflow.id);
		const response = await postCallback(
			withToken(urlOf(workflow.path), DEMO_SECRETS.urlToken),
			buildCallbackRequest(payload, { ...SIGNED, encrypt, aesKey: DEMO_SECRETS.aesSecretKey }),
		);
		await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
		const executed = (await instance.latestExecutionId(workflow.workflow.id)) > before;
		return { response, executed };
	}

	it(`loses no genuine callback out of ${LOAD_CALLBACKS} at concurrency ${LOAD_CONCURRENCY}, and runs no forgery`, async () => {
		const plan = planLoad(LOAD_CALLBACKS, urlOf, { workflows: loadTargets });
		const afterId = await instance.newestExecutionId();
		const run = await drive((index) => plan[index].request, plan.length, LOAD_CONCURRENCY);
		const audit = await auditLoad(instance, plan, { afterId, timeoutMs: 600_000, workflows: loadTargets });
		const answered = run.statuses.map((status) => ({ acknowledged: status === 200 }));
		const landed = destinationReport(plan, answered, await destination.rowsPerKey('reliability'));

		const report = loadReport({ n8nVersion: CURRENT_N8N, mode: 'regular (one process, SQLite)', concurrency: LOAD_CONCURRENCY }, plan, run, audit);
		saveReport('load-regular', { ...report, ...landed });
		console.log(`Load without loss: ${JSON.stringify({ ...report, ...landed })}`);

		expect(report).toMatchObject({ genuine_not_answered_200: [], forged_not_answered_401: [] });
		expect(audit).toMatchObject({ lost: [], duplicated: [], wrongItemCount: [], forgeriesExecuted: 0, unexpectedItems: 0 });
		expect(audit.executions).toBe(report.genuine);
		expect(audit.statuses).toEqual({ success: report.genuine });
		expect(audit.itemsFound).toBe(audit.itemsExpected);
		expect(landed).toMatchObject({
			destination_rows_expected: audit.itemsExpected,
			destination_rows_once: audit.itemsExpected,
			destination_rows_doubled: 0,
			destination_rows_lost: 0,
		});
	}, 1_200_000);

	it('ignores repeated deliveries, plain or encrypted, before and after n8n restarts', async () => {
		const first = await sendCall(repeats, 'repeat-me');
		expect(first).toMatchObject({ response: { status: 200 }, executed: true });

		const again = await sendCall(repeats, 'repeat-me', true);
		expect(again.executed).toBe(false);
		expect(again.response).toEqual({ status: 200, body: JSON.stringify({ message: 'Received before; this repeated delivery was ignored' }) });

		logs.push(instance.log());
		await instance.stop();
		await instance.start();

		const afterRestart = await sendCall(repeats, 'repeat-me');
		expect(afterRestart).toMatchObject({ response: { status: 200 }, executed: false });
		const fresh = await sendCall(repeats, 'a-new-call', true);
		expect(fresh).toMatchObject({ response: { status: 200 }, executed: true });
		const freshAgain = await sendCall(repeats, 'a-new-call');
		expect(freshAgain.executed).toBe(false);
	}, 300_000);

	it('refuses a disallowed address that claims an allowed one in X-Forwarded-For (n8n trusts no proxy by default)', async () => {
		const sample = JSON.stringify(allowList.definition.sample);
		const request = buildCallbackRequest(sample, SIGNED);
		const before = await instance.latestExecutionId(allowList.workflow.id);
		const response = await postCallback(withToken(urlOf(allowList.path), DEMO_SECRETS.urlToken), {
			...request,
			headers: { ...request.headers, 'X-Forwarded-For': '203.0.113.7', 'X-Real-IP': '203.0.113.7', Forwarded: 'for=203.0.113.7' },
		});
		expect(response.status).toBe(403);
		await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
		expect(await instance.latestExecutionId(allowList.workflow.id)).toBe(before);
	});

	it('never writes a secret into n8n’s log', () => {
		const everything = [...logs, instance.log()].join('\n');
		expect(everything).toContain('Editor is now accessible');
		for (const secret of [DEMO_SECRETS.signingSecret, DEMO_SECRETS.aesSecretKey, DEMO_SECRETS.urlToken]) {
			expect(everything).not.toContain(secret);
		}
	});
});
