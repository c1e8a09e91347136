/**
 * The AIRudder node inside a real n8n, installed from the packed tarball, on each n8n version of
 * scripts/lib/e2eVersions.js: Callback → Decode on what a trigger put on its Invalid output, and
 * behind n8n's own Webhook node. Callbacks go over HTTP; results are read back from n8n's
 * execution records.
 */

import { REFUSALS } from '../../nodes/Airudder/refusals';
import { buildCallbackRequest, DEMO_SECRETS, postCallback, withToken } from '../../scripts/lib/callbackRequest';
import { DEMO_CREDENTIAL, minimalTriggerWorkflow } from '../../scripts/lib/demo';
import { e2eVersions } from '../../scripts/lib/e2eVersions';
import type { N8nInstance } from '../../scripts/lib/n8nInstance';
import { stopTrackedOnExit } from '../../scripts/lib/processes';
import { ACCOUNT_TIME_ZONE, launchSuiteN8n } from '../helpers/suiteN8n.cjs';
import { triggerByClass } from '../helpers/triggers.cjs';
import { deliver } from '../helpers/webhook.cjs';

// Nothing this suite starts outlives the jest run, even when a failure skips its own stopping.
stopTrackedOnExit();

const ACTION_NODE_TYPE = 'n8n-nodes-airudder.airudderAction';
const DECODE_NODE = 'AIRudder Decode';
const SIGNED = { scheme: DEMO_SECRETS.signatureScheme, signingKey: DEMO_SECRETS.signingSecret };
const { node: trigger, definition } = triggerByClass('AirudderWorkflowCallCompletedTrigger');
const sample = JSON.stringify(definition.sample);

/** The demo secrets with the wrong AES key: the mistake Decode repairs once the credential is right. */
const wrongKeyCredential = { id: 'AirudderWrongKeyCred', name: 'AIRudder, wrong AES key' };

/** A credential that starts with the wrong AES key and is corrected during the run, as a user would. */
const fixedLaterCredential = { id: 'AirudderFixedLaterCred', name: 'AIRudder, AES key corrected later' };

/** The node that decodes, by default on the demo credential, whose AES key is right. */
function decodeNode(parameters: Record<string, unknown>, credential = DEMO_CREDENTIAL) {
	return {
		id: 'decode',
		name: DECODE_NODE,
		type: ACTION_NODE_TYPE,
		typeVersion: 1,
		position: [660, 200],
		parameters: { resource: 'callback', operation: 'decode', ...parameters },
		credentials: { airudderCallbackApi: credential },
	};
}

/** The trigger on `credential`, with its Invalid output connected to `decode`. */
function replayWorkflow(id: string, credential: { id: string; name: string }, decode: ReturnType<typeof decodeNode>) {
	const { workflow, path } = minimalTriggerWorkflow(id, definition.webhookPath, {}, { credential });
	const triggerName = definition.displayName;
	return {
		path,
		workflow: {
			...workflow,
			nodes: [...workflow.nodes, decode],
			connections: { ...workflow.connections, [triggerName]: { main: [workflow.connections[triggerName].main[0], [{ node: DECODE_NODE, type: 'main', index: 0 }]] } },
		},
	};
}

/** n8n's Webhook node with Raw Body on, then Decode: the documented fast path for plain JSON. */
const FAST_PATH = 'airudder-fast-path';
const fastPathWorkflow = {
	id: 'AirudderFastPath',
	name: 'Webhook node then AIRudder Decode',
	active: false,
	settings: { executionOrder: 'v1' },
	pinData: {},
	nodes: [
		{
			id: 'webhook',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'a6f0c1de-4b1f-4c55-9d0e-2f7f3a9b1c01',
			parameters: { httpMethod: 'POST', path: FAST_PATH, responseMode: 'onReceived', options: { rawBody: true } },
		},
		decodeNode({ callbackType: definition.nodeName }),
	],
	connections: { Webhook: { main: [[{ node: DECODE_NODE, type: 'main', index: 0 }]] } },
};

const replay = replayWorkflow('AirudderReplay', wrongKeyCredential, decodeNode({}));
const retryReplay = replayWorkflow('AirudderRetryReplay', fixedLaterCredential, decodeNode({ whenUnreadable: 'error' }, fixedLaterCredential));
const wrongKeySecrets = { ...DEMO_SECRETS, aesSecretKey: 'not-the-demo-key' };

describe.each(e2eVersions())('the AIRudder node inside a real n8n %s', (version) => {
	let instance: N8nInstance;

	beforeAll(async () => {
		({ instance } = await launchSuiteN8n('n8n-node', version, {
			credentials: [
				{ ...wrongKeyCredential, type: 'airudderCallbackApi', data: wrongKeySecrets },
				{ ...fixedLaterCredential, type: 'airudderCallbackApi', data: wrongKeySecrets },
			],
			workflows: [replay.workflow, retryReplay.workflow, fastPathWorkflow],
		}));
	}, 600_000);

	afterAll(async () => {
		await instance?.stop();
	});

	/** Posts to a published workflow and returns what each named node output in the execution it started. */
	async function runOf(workflowId: string, url: string, request: ReturnType<typeof buildCallbackRequest>, nodes: string[]) {
		const before = await instance.latestExecutionId(workflowId);
		const response = await postCallback(url, request);
		const execution = await instance.waitForExecutionAfter(workflowId, before);
		expect(execution.status).toBe('success');
		const outputs = nodes.map((name) => execution.runData[name][0].data!.main.map((items) => (items ?? []).map((item) => item.json)));
		return { response, outputs };
	}

	it('decodes what the trigger put on Invalid under the wrong AES key into exactly the items the trigger gives with the right key', async () => {
		const expected = (await deliver(trigger, { body: sample, timezone: ACCOUNT_TIME_ZONE })).main;
		const request = buildCallbackRequest(sample, { ...SIGNED, encrypt: true });
		const url = withToken(`${instance.baseUrl}/webhook/${replay.path}`, DEMO_SECRETS.urlToken);
		const { response, outputs } = await runOf(replay.workflow.id, url, request, [definition.displayName, DECODE_NODE]);
		expect(response.status).toBe(200);
		const [[triggerItems, invalid], [decoded, unreadable]] = outputs;
		expect(triggerItems).toEqual([]);
		expect(invalid).toEqual([expect.objectContaining({ stage: 'integrity', encrypted: true, rawBody: request.body })]);
		expect(decoded).toEqual(expected);
		expect(unreadable).toEqual([]);
	});

	it('stops with an error when told to, and n8n’s Retry after the credential is corrected gives the trigger’s items', async () => {
		const expected = (await deliver(trigger, { body: sample, timezone: ACCOUNT_TIME_ZONE })).main;
		const url = withToken(`${instance.baseUrl}/webhook/${retryReplay.path}`, DEMO_SECRETS.urlToken);
		const before = await instance.latestExecutionId(retryReplay.workflow.id);
		expect((await postCallback(url, buildCallbackRequest(sample, { ...SIGNED, encrypt: true }))).status).toBe(200);
		const failed = await instance.waitForExecutionAfter(retryReplay.workflow.id, before);
		expect(failed.status).toBe('error');

		await instance.rest('PATCH', `/credentials/${fixedLaterCredential.id}`, {
			...fixedLaterCredential,
			type: 'airudderCallbackApi',
			data: { ...DEMO_SECRETS },
		});
		await instance.rest('POST', `/executions/${failed.id}/retry`, { loadWorkflow: false });
		const retried = await instance.waitForExecutionAfter(retryReplay.workflow.id, Number(failed.id));
		expect(retried.status).toBe('success');
		const [decoded, unreadable] = retried.runData[DECODE_NODE][0].data!.main;
		expect((decoded ?? []).map((item) => item.json)).toEqual(expected);
		expect(unreadable ?? []).toEqual([]);
	});

	describe("behind n8n's Webhook node with Raw Body on", () => {
		const url = () => withToken(`${instance.baseUrl}/webhook/${FAST_PATH}`, DEMO_SECRETS.urlToken);

		it('gives a genuine signed callback the trigger’s items', async () => {
			const expected = (await deliver(trigger, { body: sample, timezone: ACCOUNT_TIME_ZONE })).main;
			const { response, outputs } = await runOf(fastPathWorkflow.id, url(), buildCallbackRequest(sample, SIGNED), [DECODE_NODE]);
			expect(response.status).toBe(200);
			expect(outputs[0]).toEqual([expected, []]);
		});

		it('answers a forgery 200, where the trigger answers 401, and puts it on Unreadable with the reason', async () => {
			const forged = buildCallbackRequest(sample, { ...SIGNED, signingKey: 'not-the-key' });
			const { response, outputs } = await runOf(fastPathWorkflow.id, url(), forged, [DECODE_NODE]);
			expect(response.status).toBe(200);
			expect(outputs[0]).toEqual([[], [expect.objectContaining({ stage: 'signature', reason: REFUSALS.wrongSignature, rawBody: null })]]);
		});

		it('cannot take an AES-encrypted body sent as JSON: n8n answers 422 before any node runs, as the docs say', async () => {
			const before = await instance.latestExecutionId(fastPathWorkflow.id);
			const response = await postCallback(url(), buildCallbackRequest(sample, { ...SIGNED, encrypt: true }));
			expect(response.status).toBe(422);
			expect(await instance.latestExecutionId(fastPathWorkflow.id)).toBe(before);
		});
	});
});
