/**
 * The AIRudder node inside a real n8n, installed from the packed tarball, on each n8n version of
 * scripts/lib/e2eVersions.js: Callback → Decode on what a trigger put on its Invalid output, and
 * behind n8n's own Webhook node; Task → Get and Workflow → Find Calls against the local AIRudder
 * API (scripts/lib/localAirudderApi.js, which follows AIRudder's published contract), run from a
 * Manual Trigger and from a published Schedule Trigger; Task → Get, Find Calls and Get Task Details
 * on an account that encrypts every call, in each answer shape the local API gives; n8n's HTTP
 * Request node with the AIRudder API credential. Callbacks go over HTTP; results are read back from
 * n8n's execution records.
 */

import { outputSchemaOf } from '../../nodes/Airudder/output/outputSchema';
import { REFUSALS } from '../../nodes/Airudder/receive/refusals';
import { operations } from '../../nodes/AirudderAction/actions/operations';
import { buildCallbackRequest, DEMO_SECRETS, postCallback, withToken } from '../../scripts/lib/callbackRequest';
import { DEMO_CREDENTIAL, minimalTriggerWorkflow } from '../../scripts/lib/demo';
import { publish, unpublish } from '../../scripts/lib/localN8n';
import { e2eVersions } from '../../scripts/lib/e2eVersions';
import { startLocalAirudderApi, type LocalAirudderApi, type LocalAirudderApiOptions } from '../../scripts/lib/localAirudderApi';
import type { N8nInstance } from '../../scripts/lib/n8nInstance';
import { findFreePortPair } from '../../scripts/lib/ports';
import { stopTrackedOnExit } from '../../scripts/lib/processes';
import { compareVersions } from '../../scripts/lib/runtime';
import { ACCOUNT_TIME_ZONE, launchSuiteN8n, SERVES_COMMUNITY_SCHEMAS_SINCE } from '../helpers/suiteN8n.cjs';
import { expectedColumnsOf, triggerByClass } from '../helpers/triggers.cjs';
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

/** What every workflow of this suite shares: imported unpublished, run in n8n's current order. */
const unpublished = (id: string) => ({ id, active: false, settings: { executionOrder: 'v1' }, pinData: {} });

/** n8n's Webhook node with Raw Body on, then Decode: the documented fast path for plain JSON. */
const FAST_PATH = 'airudder-fast-path';
const fastPathWorkflow = {
	...unpublished('AirudderFastPath'),
	name: 'Webhook node then AIRudder Decode',
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

/** The lookups, against the local AIRudder API, and what the triggers give for the same calls. */
const taskTrigger = triggerByClass('AirudderTaskCallEndedTrigger');
/**
 * AIRudder's published test vector (/work/shared/airudder/README.md): this TaskID's query under the
 * demo AES key (the vector's key) is this ciphertext, whose '+' must reach AIRudder as it is.
 */
const VENDOR_VECTOR = { taskId: '69f531a01a9df58aa6de2487be610abb', ciphertext: 'qbj8cnqKnqR66qDS49ib9ymU1mpMCyp8Dm0gS1VvmnEqTxPGSBzruAU1sapP+cye' };
const task = { ...(taskTrigger.definition.sample as { task_id: string }), task_id: VENDOR_VECTOR.taskId };
const [firstCall] = definition.sample.details as Array<{ CaseID: string }>;
const apiCredential = { id: 'AirudderApiCred', name: 'AIRudder API (local)' };
const LOCAL_KEYS = { appKey: 'local-app-key', appSecret: 'local-app-secret' };

function apiNode(name: string, position: [number, number], parameters: Record<string, unknown>, credential = apiCredential) {
	return { id: name, name, type: ACTION_NODE_TYPE, typeVersion: 1, position, parameters, credentials: { airudderApi: credential } };
}

const TASK_GET = 'Get Task';
const FIND_CALLS = 'Find Calls';
const GET_TASK_DETAILS = 'Get Task Details';
const HTTP_REQUEST = 'HTTP Request';
const TASK_GET_PARAMETERS = { resource: 'task', operation: 'get', taskId: task.task_id, simplify: true, options: {} };
const FIND_CALLS_PARAMETERS = {
	resource: 'workflow',
	operation: 'findCalls',
	startTime: '2024-03-11T00:00:00',
	endTime: '2024-03-12T00:00:00',
	caseId: firstCall.CaseID,
	simplify: true,
	options: {},
};
const workflowTaskId = (definition.sample as { task_id: string }).task_id;
const GET_TASK_DETAILS_PARAMETERS = { resource: 'workflow', operation: 'getTaskDetails', taskId: workflowTaskId, simplify: true, options: {} };
const lookups = () => [apiNode(TASK_GET, [300, -150], TASK_GET_PARAMETERS), apiNode(FIND_CALLS, [300, 50], FIND_CALLS_PARAMETERS)];
const fromStart = (start: string, names: string[]) => ({ [start]: { main: [names.map((node) => ({ node, type: 'main', index: 0 }))] } });
const manualTrigger = { id: 'manual', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

/** What the local AIRudder API serves: the task, and the workflow's calls and task. */
const SERVED: LocalAirudderApiOptions = {
	...LOCAL_KEYS,
	tasks: { [task.task_id]: task },
	workflowCalls: [definition.sample],
	workflowTasks: { [workflowTaskId]: definition.sample },
};

/** Manual Trigger → Task Get, Find Calls, and n8n's HTTP Request node on the same credential. */
const manualLookups = (apiUrl: string) => ({
	...unpublished('AirudderManualLookups'),
	name: 'Lookups from a Manual Trigger',
	nodes: [
		manualTrigger,
		...lookups(),
		{
			id: 'http',
			name: HTTP_REQUEST,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [300, 250],
			parameters: {
				url: `${apiUrl}/service/cloud/detail?TaskID=${task.task_id}`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'airudderApi',
				options: {},
			},
			credentials: { airudderApi: apiCredential },
		},
	],
	connections: fromStart('Manual', [TASK_GET, FIND_CALLS, HTTP_REQUEST]),
});

/** A Schedule Trigger every few seconds → Task Get and Find Calls, published. */
const scheduledLookups = {
	...unpublished('AirudderScheduledLookups'),
	name: 'Lookups on a schedule',
	nodes: [
		{
			id: 'schedule',
			name: 'Schedule',
			type: 'n8n-nodes-base.scheduleTrigger',
			typeVersion: 1.2,
			position: [0, 0],
			parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: 5 }] } },
		},
		...lookups(),
	],
	connections: fromStart('Schedule', [TASK_GET, FIND_CALLS]),
};

/**
 * Every answer shape of the local AIRudder API (its `answerShape`), each served by its own instance
 * on an account that encrypts every call with AIRudder's published example key: one workflow then
 * reads all of them in one execution, where switching one server's shape would cost an execution
 * (and an n8n boot by the CLI) per shape.
 */
const ANSWER_SHAPES = ['task', 'pagedList', 'callbackList', 'flatList'] as const;
type AnswerShape = (typeof ANSWER_SHAPES)[number];
const encryptedCredential = (shape: AnswerShape) => ({ id: `AirudderAes${shape}Cred`, name: `AIRudder API (local, AES, ${shape})` });
const LOOKUPS_BY_NAME = [
	[TASK_GET, TASK_GET_PARAMETERS],
	[FIND_CALLS, FIND_CALLS_PARAMETERS],
	[GET_TASK_DETAILS, GET_TASK_DETAILS_PARAMETERS],
] as const;
const inShape = (lookup: string, shape: AnswerShape) => `${lookup} (${shape})`;

/** Manual Trigger → the three lookups against each answer shape, every call encrypted. */
const encryptedLookups = {
	...unpublished('AirudderEncryptedLookups'),
	name: 'Encrypted lookups in every answer shape',
	nodes: [
		manualTrigger,
		...ANSWER_SHAPES.flatMap((shape, column) =>
			LOOKUPS_BY_NAME.map(([lookup, parameters], row) => apiNode(inShape(lookup, shape), [300 + 250 * column, -150 + 200 * row], parameters, encryptedCredential(shape))),
		),
	],
	connections: fromStart(
		'Manual',
		ANSWER_SHAPES.flatMap((shape) => LOOKUPS_BY_NAME.map(([lookup]) => inShape(lookup, shape))),
	),
};

/** Strict standard base64, with nothing around it: what AIRudder's example sends. */
const BARE_BASE64 = /^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** What the triggers give for the task, for the first call, and for the workflow task, one callback each. */
async function expectedLookups() {
	const taskItems = (await deliver(taskTrigger.node, { body: JSON.stringify(task), timezone: ACCOUNT_TIME_ZONE })).main;
	const oneCall = JSON.stringify({ ...definition.sample, details: [firstCall] });
	const callItems = (await deliver(trigger, { body: oneCall, timezone: ACCOUNT_TIME_ZONE })).main;
	const taskDetailsItems = (await deliver(trigger, { body: sample, timezone: ACCOUNT_TIME_ZONE })).main;
	return { taskItems, callItems, taskDetailsItems };
}

const replay = replayWorkflow('AirudderReplay', wrongKeyCredential, decodeNode({}));
const retryReplay = replayWorkflow('AirudderRetryReplay', fixedLaterCredential, decodeNode({ whenUnreadable: 'error' }, fixedLaterCredential));
const wrongKeySecrets = { ...DEMO_SECRETS, aesSecretKey: 'not-the-demo-key' };

describe.each(e2eVersions())('the AIRudder node inside a real n8n %s', (version) => {
	let instance: N8nInstance;
	let api: LocalAirudderApi;
	let encryptedApis: LocalAirudderApi[] = [];

	beforeAll(async () => {
		api = await startLocalAirudderApi(SERVED);
		encryptedApis = await Promise.all(ANSWER_SHAPES.map((answerShape) => startLocalAirudderApi({ ...SERVED, aesKey: DEMO_SECRETS.aesSecretKey, answerShape })));
		({ instance } = await launchSuiteN8n('n8n-node', version, {
			credentials: [
				{ ...wrongKeyCredential, type: 'airudderCallbackApi', data: wrongKeySecrets },
				{ ...fixedLaterCredential, type: 'airudderCallbackApi', data: wrongKeySecrets },
				{ ...apiCredential, type: 'airudderApi', data: { ...LOCAL_KEYS, baseUrl: api.url, aesSecretKey: '' } },
				...ANSWER_SHAPES.map((shape, index) => ({
					...encryptedCredential(shape),
					type: 'airudderApi',
					data: { ...LOCAL_KEYS, baseUrl: encryptedApis[index].url, aesSecretKey: DEMO_SECRETS.aesSecretKey },
				})),
			],
			workflows: [replay.workflow, retryReplay.workflow, fastPathWorkflow],
			drafts: [manualLookups(api.url), scheduledLookups, encryptedLookups],
		}));
	}, 600_000);

	afterAll(async () => {
		await instance?.stop();
		await api?.close();
		await Promise.all(encryptedApis.map(async (encryptedApi) => await encryptedApi.close()));
	});

	/**
	 * Runs a Manual Trigger workflow as the editor's Execute Workflow does, with n8n's CLI beside the
	 * server (its task broker on a port of its own); n8n records the execution as any other.
	 */
	async function executedByCli(workflowId: string) {
		const before = await instance.latestExecutionId(workflowId);
		await instance.cli(['execute', `--id=${workflowId}`], { N8N_RUNNERS_BROKER_PORT: String((await findFreePortPair()) + 1) });
		return await instance.waitForExecutionAfter(workflowId, before);
	}

	const jsonOf = (runData: Record<string, Array<{ data?: { main: Array<Array<{ json: unknown }> | null> } }>>, name: string) =>
		(runData[name][0].data!.main[0] ?? []).map((item) => item.json);

	/** Posts to a published workflow and returns what each named node output in the execution it started. */
	async function runOf(workflowId: string, url: string, request: ReturnType<typeof buildCallbackRequest>, nodes: string[]) {
		const before = await instance.latestExecutionId(workflowId);
		const response = await postCallback(url, request);
		expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: expect.any(String) });
		const execution = await instance.waitForExecutionAfter(workflowId, before, 60_000);
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

	if (compareVersions(version, SERVES_COMMUNITY_SCHEMAS_SINCE) >= 0) {
		it('serves the output schema of each operation that gives a trigger’s items to the editor’s schema preview', async () => {
			for (const { resource, value, givesItemsOf } of operations.filter((operation) => operation.givesItemsOf)) {
				const response = await fetch(`${instance.baseUrl}/schemas/${ACTION_NODE_TYPE}/1.0.0/${resource}/${value}.json`, {
					headers: { cookie: instance.cookie ?? '' },
				});
				expect({ operation: `${resource}/${value}`, status: response.status }).toEqual({ operation: `${resource}/${value}`, status: 200 });
				const served = (await response.json()) as { properties: Record<string, unknown> };
				expect(Object.keys(served.properties)).toEqual(expectedColumnsOf(givesItemsOf!.webhookPath).columns);
				expect(served).toEqual(outputSchemaOf(givesItemsOf!));
			}
		});
	}

	describe('Task → Get and Workflow → Find Calls against the local AIRudder API', () => {
		it('from a Manual Trigger: one item per call with the triggers’ columns, and n8n’s HTTP Request node signed in with the same credential', async () => {
			const { taskItems, callItems } = await expectedLookups();
			const execution = await executedByCli(manualLookups(api.url).id);
			expect(execution.status).toBe('success');
			const { runData } = execution;
			expect(jsonOf(runData, TASK_GET)).toEqual(taskItems);
			expect(jsonOf(runData, FIND_CALLS)).toEqual(callItems);
			expect(jsonOf(runData, HTTP_REQUEST)).toEqual([{ code: 200, data: task }]);
			const sent = api.received.requests.filter((request) => request.path !== '/service/cloud/auth');
			expect(sent.every((request) => /^Token \S+$/.test(String(request.headers.authorization)))).toBe(true);
		});

		it('from a published Schedule Trigger: the same items on every run', async () => {
			const { taskItems, callItems } = await expectedLookups();
			const before = await instance.latestExecutionId(scheduledLookups.id);
			await publish(instance, scheduledLookups.id);
			try {
				const execution = await instance.waitForExecutionAfter(scheduledLookups.id, before, 30_000);
				expect(execution.status).toBe('success');
				expect(jsonOf(execution.runData, TASK_GET)).toEqual(taskItems);
				expect(jsonOf(execution.runData, FIND_CALLS)).toEqual(callItems);
			} finally {
				await unpublish(instance, scheduledLookups.id);
			}
		});
	});

	describe('Task → Get, Find Calls and Get Task Details on an account that encrypts every call, in each answer shape', () => {
		let execution: Awaited<ReturnType<typeof executedByCli>>;
		beforeAll(async () => {
			execution = await executedByCli(encryptedLookups.id);
		}, 180_000);

		it('give the triggers’ items of the whole task in each shape, every call with the columns of all; a flat list loses only the task’s own robot_hash', async () => {
			const { taskItems, callItems, taskDetailsItems } = await expectedLookups();
			expect(execution.status).toBe('success');
			for (const shape of ANSWER_SHAPES) {
				// A call in a flat list carries its own robot_hash beside the task's fields, so the task's is not told apart.
				const lost = shape === 'flatList' ? { task_robot_hash: null } : {};
				const expected = [taskItems, callItems, taskDetailsItems].map((items) => items.map((item) => ({ ...item, ...lost })));
				const given = LOOKUPS_BY_NAME.map(([lookup]) => jsonOf(execution.runData, inShape(lookup, shape)));
				expect({ shape, given }).toEqual({ shape, given: expected });
			}
		});

		it('send every request but the sign-in encrypted, a POST body and a GET query as the bare base64 ciphertext, the GET’s byte for byte AIRudder’s test vector', () => {
			for (const [index, shape] of ANSWER_SHAPES.entries()) {
				const sent = encryptedApis[index].received.requests
					.filter((request) => request.path !== '/service/cloud/auth')
					.sort((a, b) => a.path.localeCompare(b.path))
					.map(({ method, path, rawQuery, rawBody, headers, plaintext }) => ({
						shape,
						method,
						path,
						encrypted: headers['is-encrypted'],
						ciphertext: method === 'GET' ? rawQuery : rawBody,
						request: method === 'GET' ? plaintext : JSON.parse(plaintext),
					}));
				const ciphertext = expect.stringMatching(BARE_BASE64);
				expect(sent).toEqual([
					{ shape, method: 'GET', path: '/service/cloud/detail', encrypted: '1', ciphertext: VENDOR_VECTOR.ciphertext, request: `TaskID=${VENDOR_VECTOR.taskId}` },
					{
						shape,
						method: 'POST',
						path: '/service/cloud/workflow/detailinstances',
						encrypted: '1',
						ciphertext,
						request: { case_id: firstCall.CaseID, start_time: '2024-03-11 00:00:00', end_time: '2024-03-12 00:00:00', page: 1, page_size: 100 },
					},
					{ shape, method: 'POST', path: '/service/cloud/workflow/taskdetail', encrypted: '1', ciphertext, request: { task_id: workflowTaskId } },
				]);
			}
		});
	});
});
