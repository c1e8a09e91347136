/**
 * Dragging every column into the next node works inside a real n8n (issue 36), on each n8n version
 * of scripts/lib/e2eVersions.js, with the package installed from the packed tarball. Each workflow
 * is what a user builds by dropping every column of the input panel on an Edit Fields (Set) node:
 * one assignment per column, named, valued and typed as that n8n's editor makes it
 * (test/helpers/dragExpressions.cts `droppedAssignment`). A signed vendor example goes over HTTP,
 * and the Edit Fields output n8n records must be the reviewed items of the fixture, every column.
 * test/e2e/dragMapping.e2e.cts evaluates the same expressions, and many more, outside n8n.
 */
import type { IDataObject } from 'n8n-workflow';

import { buildCallbackRequest, DEMO_SECRETS, postCallback, withToken } from '../../scripts/lib/callbackRequest';
import { minimalTriggerWorkflow } from '../../scripts/lib/demo';
import { e2eVersions } from '../../scripts/lib/e2eVersions';
import { startLocalAirudderApi, type LocalAirudderApi } from '../../scripts/lib/localAirudderApi';
import type { N8nInstance } from '../../scripts/lib/n8nInstance';
import { stopTrackedOnExit } from '../../scripts/lib/processes';
import { dragTargets, droppedAssignment } from '../helpers/dragExpressions.cjs';
import { launchSuiteN8n } from '../helpers/suiteN8n.cjs';
import { triggerByClass, type Fixture } from '../helpers/triggers.cjs';

// Nothing this suite starts outlives the jest run, even when a failure skips its own stopping.
stopTrackedOnExit();

const SIGNED = { scheme: DEMO_SECRETS.signatureScheme, signingKey: DEMO_SECRETS.signingSecret };
const EDIT_FIELDS = 'Edit Fields';
const FIND_CALLS = 'Find Calls';

/** The Edit Fields (Set) version each n8n's editor adds: its n8n-nodes-base's Set.node.js defaultVersion. */
const SET_VERSION_OF: Record<string, number> = { '1.123.81': 3.4, '2.8.4': 3.4, '2.41.1': 3.5 };

/**
 * The triggers users map most, each with one column a spot check names: callee_number, which n8n
 * refused as callee, and a Custom API push's contact_* columns.
 */
const MAPPED = [
	{ className: 'AirudderWorkflowCallCompletedTrigger', column: 'callee_number' },
	{ className: 'AirudderChatbotBotReplyTrigger', column: 'callee_number' },
	{ className: 'AirudderWorkflowCustomApiPushTrigger', column: 'contact_callee_number' },
];

/** Every column of the item the node before gives, dropped on Edit Fields in the item's order. */
function assignmentsFor(item: IDataObject) {
	return dragTargets(item).map((target, index) => ({ id: `column-${index}`, ...droppedAssignment(target) }));
}

function editFields(setVersion: number, assignments: ReturnType<typeof assignmentsFor>) {
	return {
		id: 'edit-fields',
		name: EDIT_FIELDS,
		type: 'n8n-nodes-base.set',
		typeVersion: setVersion,
		position: [440, 0],
		parameters: { assignments: { assignments }, options: {} },
	};
}

/** The trigger (Simplify on, its default) → Edit Fields mapping every column of the fixture's first item. */
function triggerThenEditFields(id: string, className: string, fixture: Fixture, setVersion: number) {
	const { definition } = triggerByClass(className);
	const { workflow, path } = minimalTriggerWorkflow(id, definition.webhookPath);
	const assignments = assignmentsFor(fixture.expected[0] as IDataObject);
	return {
		path,
		assignments,
		triggerName: definition.displayName,
		workflow: {
			...workflow,
			name: `${definition.displayName} → Edit Fields, every column dragged`,
			nodes: [workflow.nodes[0], editFields(setVersion, assignments)],
			connections: { [definition.displayName]: { main: [[{ node: EDIT_FIELDS, type: 'main', index: 0 }]] } },
		},
	};
}

/** The AIRudder node's Find Calls, which gives the Workflow Call Completed trigger's items, on the local AIRudder API. */
const apiCredential = { id: 'AirudderDragApiCred', name: 'AIRudder API (local)' };
const LOCAL_KEYS = { appKey: 'local-app-key', appSecret: 'local-app-secret' };
const callsFixture = triggerByClass('AirudderWorkflowCallCompletedTrigger').fixtures[0];

/** The Workflow Call Completed trigger → Find Calls for the fixture's day → Edit Fields mapping every column of Find Calls' item. */
function findCallsThenEditFields(setVersion: number) {
	const { definition, workflow, path } = minimalTriggerWorkflow('AirudderDragFindCalls', 'workflow-call-completed');
	const findCalls = {
		id: 'find-calls',
		name: FIND_CALLS,
		type: 'n8n-nodes-airudder.airudderAction',
		typeVersion: 1,
		position: [220, 0],
		parameters: { resource: 'workflow', operation: 'findCalls', startTime: '2024-03-11T00:00:00', endTime: '2024-03-12T00:00:00', options: {} },
		credentials: { airudderApi: apiCredential },
	};
	return {
		path,
		workflow: {
			...workflow,
			name: 'Find Calls → Edit Fields, every column dragged',
			nodes: [workflow.nodes[0], findCalls, editFields(setVersion, assignmentsFor(callsFixture.expected[0] as IDataObject))],
			connections: {
				[definition.displayName]: { main: [[{ node: FIND_CALLS, type: 'main', index: 0 }]] },
				[FIND_CALLS]: { main: [[{ node: EDIT_FIELDS, type: 'main', index: 0 }]] },
			},
		},
	};
}

describe.each(e2eVersions())('inside a real n8n %s', (version) => {
	const setVersion = SET_VERSION_OF[version];
	if (setVersion === undefined) throw new Error(`Say in SET_VERSION_OF which Edit Fields version n8n ${version}'s editor adds`);

	const cases = MAPPED.flatMap(({ className, column }) =>
		triggerByClass(className).fixtures.map((fixture, index) => ({
			title: `${className}, ${fixture.name}`,
			column,
			fixture,
			...triggerThenEditFields(`AirudderDrag${MAPPED.findIndex((mapped) => mapped.className === className)}x${index}`, className, fixture, setVersion),
		})),
	);
	const findCalls = findCallsThenEditFields(setVersion);

	let instance: N8nInstance;
	let api: LocalAirudderApi;

	beforeAll(async () => {
		api = await startLocalAirudderApi({ ...LOCAL_KEYS, workflowCalls: [JSON.parse(callsFixture.body)] });
		({ instance } = await launchSuiteN8n('drag', version, {
			credentials: [{ ...apiCredential, type: 'airudderApi', data: { ...LOCAL_KEYS, baseUrl: api.url, aesSecretKey: '' } }],
			workflows: [...cases.map(({ workflow }) => workflow), findCalls.workflow],
		}));
	}, 600_000);

	afterAll(async () => {
		await instance?.stop();
		await api?.close();
	});

	/** Posts the fixture to the published workflow and returns what each node output, as n8n recorded it. */
	async function outputsOf(workflow: { id: string }, path: string, fixture: Fixture) {
		const before = await instance.latestExecutionId(workflow.id);
		const url = withToken(`${instance.baseUrl}/webhook/${path}`, DEMO_SECRETS.urlToken);
		const response = await postCallback(url, buildCallbackRequest(fixture.body, SIGNED));
		expect(response).toEqual({ status: 200, body: '{"message":"Workflow was started"}' });
		const execution = await instance.waitForExecutionAfter(workflow.id, before);
		expect({ status: execution.status, error: execution.error }).toEqual({ status: 'success', error: null });
		return (node: string) => (execution.runData[node][0].data!.main[0] ?? []).map((item) => item.json);
	}

	it.each(cases.map((mapped) => [mapped.title, mapped] as const))(
		'%s: Edit Fields with every column dragged in gives the trigger’s items, value for value',
		async (_title, { workflow, path, fixture, column, assignments, triggerName }) => {
			expect(assignments).toHaveLength(Object.keys(fixture.expected[0] as object).length);
			expect(assignments).toContainEqual(expect.objectContaining({ name: column, value: `={{ $json.${column} }}`, type: 'string' }));

			const output = await outputsOf(workflow, path, fixture);
			expect(output(triggerName)).toEqual(fixture.expected);
			expect(output(EDIT_FIELDS)).toEqual(fixture.expected);
		},
	);

	it('the AIRudder node’s Find Calls: Edit Fields with every column dragged in gives its items, value for value', async () => {
		const output = await outputsOf(findCalls.workflow, findCalls.path, callsFixture);
		expect(output(FIND_CALLS)).toEqual(callsFixture.expected);
		expect(output(EDIT_FIELDS)).toEqual(callsFixture.expected);
	});
});
