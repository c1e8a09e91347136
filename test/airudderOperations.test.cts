/**
 * The AIRudder node's operations, each against the local AIRudder API
 * (scripts/lib/localAirudderApi.js): what each sends AIRudder, and what it gives the workflow.
 * Lookups give the items of the trigger that would have received the same calls, so a backfilled
 * row lines up with a row the trigger appended.
 */
import { readFileSync } from 'fs';
import type { IDataObject } from 'n8n-workflow';
import { join } from 'path';

import { offeredToAgents } from '../nodes/AirudderAction/actions/operation';
import { AirudderAction } from '../nodes/AirudderAction/AirudderAction.node';
import { startLocalAirudderApi, type LocalAirudderApi, type LocalAirudderApiOptions } from '../scripts/lib/localAirudderApi';
import { workflowAddContacts } from '../nodes/AirudderAction/actions/workflow/addContacts.operation';
import { workflowCreate } from '../nodes/AirudderAction/actions/workflow/create.operation';

import { executeContext, runNode } from './helpers/executeContext.cjs';
import { namedAsInItems, triggerByClass } from './helpers/triggers.cjs';

const KEYS = { appKey: 'local-app-key', appSecret: 'local-app-secret', aesSecretKey: '' };
const TIME_ZONE = 'Asia/Shanghai';
const taskTrigger = triggerByClass('AirudderTaskCallEndedTrigger');
const workflowTrigger = triggerByClass('AirudderWorkflowCallCompletedTrigger');
const task = JSON.parse(taskTrigger.fixtures[0].body) as IDataObject & { task_id: string };
const workflowCallback = JSON.parse(workflowTrigger.fixtures[0].body) as IDataObject & { details: IDataObject[] };

let api: LocalAirudderApi;
/** Every local AIRudder API a spec started (one may run the node more than once), closed after it. */
const started: LocalAirudderApi[] = [];
afterEach(async () => {
	await Promise.all(started.splice(0).map((server) => server.close()));
});

async function serve(options: LocalAirudderApiOptions = {}): Promise<LocalAirudderApi> {
	api = await startLocalAirudderApi(options);
	started.push(api);
	return api;
}

/** Runs the node against the local AIRudder API last started. */
async function runOnServed(parameters: IDataObject, items = [{ json: {} }]): Promise<IDataObject[]> {
	return await runNode(executeContext({ parameters, items, credential: { ...KEYS, baseUrl: api.url }, timeZone: TIME_ZONE }));
}

async function run(parameters: IDataObject, options: LocalAirudderApiOptions = {}, items = [{ json: {} }]): Promise<IDataObject[]> {
	await serve(options);
	return await runOnServed(parameters, items);
}

/** `count` workflow calls, a minute apart from 2026-12-03 09:00 on the account's clock. */
function workflowCalls(count: number): IDataObject[] {
	const [call] = workflowCallback.details;
	return Array.from({ length: count }, (_, index) => ({
		...call,
		call_id: `call-${index}`,
		CaseID: 'case-7',
		call_start_time: `2026-12-03 ${String(9 + Math.floor(index / 60)).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:00`,
	}));
}

describe('Task → Get', () => {
	const parameters = { resource: 'task', operation: 'get', taskId: task.task_id, simplify: true, options: {} };

	it('asks GET /service/cloud/detail?TaskID=<id>', async () => {
		await run(parameters, { tasks: { [task.task_id]: task } });
		const request = api.received.requests.find((received) => received.path === '/service/cloud/detail')!;
		expect(request.method).toBe('GET');
		expect(request.rawQuery).toBe(`TaskID=${task.task_id}`);
	});

	it('gives one item per call with exactly the columns and values of the Task Call Ended trigger', async () => {
		const items = await run(parameters, { tasks: { [task.task_id]: task } });
		expect(items).toEqual(taskTrigger.fixtures[0].expected);
	});

	it('with Key Columns Only, as a tool has it by default, gives each call’s key columns and its NerSlots_ columns, nothing else', async () => {
		const items = await run({ ...parameters, keyColumnsOnly: true }, { tasks: { [task.task_id]: task } });
		const reviewed = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'task-call-ended', 'example.key-columns.expected.json'), 'utf8'));
		expect(items).toEqual(reviewed);
	});

	it('with Simplify off, gives AIRudder’s answer as sent, with callee named as in items', async () => {
		const items = await run({ ...parameters, simplify: false }, { tasks: { [task.task_id]: task } });
		expect(items).toEqual([{ code: 200, data: namedAsInItems(task) }]);
	});

	const hostileText = JSON.stringify(task).replace('{', '{"__proto__":{"isAdmin":true},"constructor":"kept",');
	const hostile = () => ({ tasks: { [task.task_id]: JSON.parse(hostileText) as IDataObject } });

	it('keeps keys named __proto__ and constructor as data, as the trigger does, with Simplify on', async () => {
		const [reviewed] = taskTrigger.fixtures[0].expected as IDataObject[];
		expect(await run(parameters, hostile())).toEqual([{ ...reviewed, field___proto___isAdmin: true, field_constructor: 'kept' }]);
		expect(({} as IDataObject).isAdmin).toBeUndefined();
	});

	it('keeps keys named __proto__ and constructor as data, renamed as the trigger renames them, with Simplify off', async () => {
		const [asSent] = await run({ ...parameters, simplify: false }, hostile());
		const data = asSent.data as IDataObject;
		expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
		expect(data).toMatchObject({ field___proto__: { isAdmin: true }, field_constructor: 'kept', task_id: task.task_id });
		expect(({} as IDataObject).isAdmin).toBeUndefined();
	});

	it('says so when the answer is not a task the trigger could read', async () => {
		await expect(run(parameters, { tasks: { [task.task_id]: { task_name: 'no id' } } })).rejects.toThrow(
			/is not what the AIRudder Task Call Ended Trigger reads: .*task_id.* Turn Simplify off/s,
		);
	});
});

describe('Workflow → Find Calls', () => {
	const parameters = {
		resource: 'workflow',
		operation: 'findCalls',
		startTime: '2026-12-03T00:00:00',
		endTime: '2026-12-04T00:00:00',
		caseId: 'case-7',
		callee: '',
		simplify: true,
		options: {},
	};
	const payload = (calls: IDataObject[]) => ({ ...workflowCallback, details: calls });

	it('asks POST /service/cloud/workflow/detailinstances with case_id, start_time and end_time on the account’s clock', async () => {
		await run(parameters, { workflowCalls: [payload(workflowCalls(1))] });
		const request = api.received.requests.find((received) => received.path === '/service/cloud/workflow/detailinstances')!;
		expect(JSON.parse(request.rawBody)).toEqual({
			case_id: 'case-7',
			start_time: '2026-12-03 00:00:00',
			end_time: '2026-12-04 00:00:00',
			page: 1,
			page_size: 100,
		});
	});

	it('gives one item per call with exactly the columns and values of the Workflow Call Completed trigger', async () => {
		const calls = workflowCalls(3);
		const items = await run(parameters, { workflowCalls: [payload(calls)] });
		const [reviewed] = workflowTrigger.fixtures[0].expected as IDataObject[];
		// The fixture's reviewed item, with what workflowCalls changed in each call.
		const asTriggered = (callId: string, start: string, startIso: string) => ({
			...reviewed,
			call_id: callId,
			delivery_key: callId,
			CaseID: 'case-7',
			call_start_time: start,
			call_start_time_iso: startIso,
		});
		expect(items).toEqual([
			asTriggered('call-0', '2026-12-03 09:00:00', '2026-12-03T09:00:00+08:00'),
			asTriggered('call-1', '2026-12-03 09:01:00', '2026-12-03T09:01:00+08:00'),
			asTriggered('call-2', '2026-12-03 09:02:00', '2026-12-03T09:02:00+08:00'),
		]);
	});

	it('gives each call the trigger’s delivery_key, its call id, so a backfill updates the rows the trigger wrote', async () => {
		const items = await run(parameters, { workflowCalls: [payload(workflowCalls(2))] });
		expect(items.map((item) => item.delivery_key)).toEqual(workflowCalls(2).map((call) => call.call_id));
	});

	it('lists the calls given to the local AIRudder API after it started beside those it started with, as AIRudder holds each call once it ends', async () => {
		await serve({ workflowCalls: [payload(workflowCalls(1))] });
		api.addWorkflowCalls([payload(workflowCalls(3).slice(1))]);
		const items = await runOnServed(parameters);
		expect(items.map((item) => item.call_id)).toEqual(['call-0', 'call-1', 'call-2']);
	});

	it('reads every page of an answer larger than one page', async () => {
		const items = await run({ ...parameters, options: { pageSize: 10 } }, { workflowCalls: [payload(workflowCalls(25))], pageSize: 10 });
		expect(items.map((item) => item.call_id)).toEqual(workflowCalls(25).map((call) => call.call_id));
		expect(api.received.byPath['/service/cloud/workflow/detailinstances']).toBe(3);
	});

	it('splits a range longer than Window Size into consecutive windows', async () => {
		await run({ ...parameters, startTime: '2026-12-01T00:00:00', options: { windowHours: 24 } }, { workflowCalls: [payload(workflowCalls(2))] });
		const windows = api.received.requests.map((received) => JSON.parse(received.rawBody)).filter((body) => body.start_time);
		expect(windows.map(({ start_time, end_time }) => [start_time, end_time])).toEqual([
			['2026-12-01 00:00:00', '2026-12-02 00:00:00'],
			['2026-12-02 00:00:00', '2026-12-03 00:00:00'],
			['2026-12-03 00:00:00', '2026-12-04 00:00:00'],
		]);
	});

	it('reads a time with a zone as that instant, on the account’s clock', async () => {
		await run({ ...parameters, startTime: '2026-12-02T16:00:00Z', endTime: '2026-12-03T16:00:00.000Z' }, { workflowCalls: [] });
		const [body] = api.received.requests.map((received) => JSON.parse(received.rawBody)).filter((sent) => sent.start_time);
		expect([body.start_time, body.end_time]).toEqual(['2026-12-03 00:00:00', '2026-12-04 00:00:00']);
	});

	it('says so when End Time is not after Start Time', async () => {
		await expect(run({ ...parameters, endTime: parameters.startTime }, {})).rejects.toThrow('End Time is not after Start Time. Swap them or widen the range.');
	});
});

describe('Workflow → Get Task Details', () => {
	it('asks POST /service/cloud/workflow/taskdetail with {"task_id"} and gives the Workflow Call Completed trigger’s items', async () => {
		const taskId = String(workflowCallback.task_id);
		const items = await run(
			{ resource: 'workflow', operation: 'getTaskDetails', taskId, simplify: true, options: {} },
			{ workflowTasks: { [taskId]: workflowCallback } },
		);
		const request = api.received.requests.find((received) => received.path === '/service/cloud/workflow/taskdetail')!;
		expect(JSON.parse(request.rawBody)).toEqual({ task_id: taskId });
		expect(items).toEqual(workflowTrigger.fixtures[0].expected);
	});
});

/**
 * AIRudder has not published what the workflow lookups answer, so each reads every shape a
 * reasonable server could answer with (the local AIRudder API's answerShape), and gives the reviewed
 * items of the trigger's fixture (test/fixtures/workflow-call-completed/) for the same call.
 */
describe('Task → Get of a task whose calls carry different fields', () => {
	// The sample task's third call has no NerSlots (nothing the bot heard), the first two do.
	const sampleTask = taskTrigger.definition.sample as IDataObject & { task_id: string };
	const parameters = { resource: 'task', operation: 'get', taskId: sampleTask.task_id, simplify: true, options: {} };
	const answering = (answerShape: LocalAirudderApiOptions['answerShape']) => ({ tasks: { [sampleTask.task_id]: sampleTask }, answerShape });

	it.each(['pagedList', 'callbackList', 'flatList'] as const)('gives every call the same columns when the answer lists the calls one by one (%s), as one task does', async (answerShape) => {
		const asTask = await run(parameters, answering('task'));
		const listed = await run(parameters, answering(answerShape));
		expect(listed.map((item) => Object.keys(item))).toEqual(asTask.map((item) => Object.keys(item)));
		expect(listed.map((item) => item.NerSlots_PaymentMethod)).toEqual(['Transfer', 'Transfer', null]);
	});
});

describe.each([
	[
		'Find Calls',
		{ resource: 'workflow', operation: 'findCalls', startTime: '2024-03-11T00:00:00', endTime: '2024-03-12T00:00:00', caseId: '', callee: '', simplify: true, options: {} },
		(callback: IDataObject): LocalAirudderApiOptions => ({ workflowCalls: [callback] }),
	],
	[
		'Get Task Details',
		{ resource: 'workflow', operation: 'getTaskDetails', taskId: String(workflowCallback.task_id), simplify: true, options: {} },
		(callback: IDataObject): LocalAirudderApiOptions => ({ workflowTasks: { [String(callback.task_id)]: callback } }),
	],
])('Workflow → %s reads each shape AIRudder could answer with', (_, parameters, serving) => {
	const [fixture] = workflowTrigger.fixtures;
	const answering = (answerShape: LocalAirudderApiOptions['answerShape']) => ({ ...serving(JSON.parse(fixture.body) as IDataObject), answerShape });

	it.each([
		['one task with its calls in details[]', 'task' as const],
		['a page: {list: [calls, each a callback with details[]], total}', 'pagedList' as const],
		['a list in data of calls, each a callback with details[]', 'callbackList' as const],
	])('%s', async (__, answerShape) => {
		expect(await run(parameters, answering(answerShape))).toEqual(fixture.expected);
	});

	it('a list in data of calls, each with the task and workflow fields beside its own: the call’s robot_hash is the one kept', async () => {
		const [expected] = fixture.expected as IDataObject[];
		expect(await run(parameters, answering('flatList'))).toEqual([{ ...expected, task_robot_hash: null }]);
	});
});

describe('Workflow → Create', () => {
	const parameters = {
		resource: 'workflow',
		operation: 'create',
		workflowTemplateId: 'template-1',
		name: 'Reminders',
		endTime: '2026-12-05T18:00:00',
		contactsInput: 'json',
		contactList: '[{"callee": "+6281234567890", "variables": {"name": "Ana"}}, {"callee": 6281234567891}]',
		options: {},
	};

	it('sends the template, name, end time with the account’s offset and the contacts, and gives the new workflow_id', async () => {
		const [item] = await run(parameters);
		const request = api.received.requests.find((received) => received.path === '/service/cloud/workflow/createinstance')!;
		expect(JSON.parse(request.rawBody)).toEqual({
			workflow_template_id: 'template-1',
			name: 'Reminders',
			end_time: '2026-12-05 18:00:00+08:00',
			details: [
				{ callee: '+6281234567890', variables: { name: 'Ana' } },
				{ callee: '6281234567891', variables: {} },
			],
		});
		expect(item).toEqual({ workflow_id: expect.stringMatching(/^wf-/), contacts_sent: 2 });
	});

	it('says which contact has no callee', async () => {
		await expect(run({ ...parameters, contactList: '[{"callee": "+62"}, {"variables": {}}]' })).rejects.toThrow(
			'The contact at position 2 of Contact List has no callee: give each contact a phone number.',
		);
	});
});

describe('Workflow → Add Contacts', () => {
	it('adds one contact per input item from its Callee and Variables', async () => {
		const items = [{ json: { phone: '+6281' } }, { json: { phone: '+6282' } }];
		await serve();
		const harness = executeContext({
			parameters: (itemIndex) => ({
				resource: 'workflow',
				operation: 'addContacts',
				workflowId: 'wf-1',
				contactsInput: 'fields',
				callee: items[itemIndex].json.phone,
				variables: { row: itemIndex },
			}),
			items,
			credential: { ...KEYS, baseUrl: api.url },
		});
		expect(await runNode(harness)).toEqual([
			{ workflow_id: 'wf-1', count: 1, contacts_sent: 1 },
			{ workflow_id: 'wf-1', count: 1, contacts_sent: 1 },
		]);
		const sent = api.received.requests.filter((received) => received.path === '/service/cloud/workflow/uploaddetails').map((received) => JSON.parse(received.rawBody));
		expect(sent).toEqual([
			{ workflow_id: 'wf-1', details: [{ callee: '+6281', variables: { row: 0 } }] },
			{ workflow_id: 'wf-1', details: [{ callee: '+6282', variables: { row: 1 } }] },
		]);
	});
});

describe('the operations that place calls', () => {
	it('are kept from AI agents and carry the unpublished-contract notice', () => {
		for (const operation of [workflowCreate, workflowAddContacts]) {
			expect(operation.placesCalls).toBe(true);
			expect(offeredToAgents(operation)).toBe(false);
			expect(operation.properties[0].displayName).toMatch(/AIRudder has not published this request/);
		}
	});

	it('need the AIRudder API credential, shown for the Task and Workflow resources', () => {
		expect(new AirudderAction().description.credentials).toContainEqual({
			name: 'airudderApi',
			required: true,
			displayOptions: { show: { resource: ['task', 'workflow'] } },
		});
	});
});

/**
 * Answers of Workflow → Find Calls and Get Task Details that a server built from AIRudder's pages
 * could give (issue 35), served as written here: a page without calls is no calls, a page's one
 * list is its calls whatever its name, and a call may carry only the workflow fields.
 */
describe.each([
	[
		'Find Calls',
		'/service/cloud/workflow/detailinstances',
		{ resource: 'workflow', operation: 'findCalls', startTime: '2024-03-11T00:00:00', endTime: '2024-03-12T00:00:00', caseId: '', callee: '', simplify: true, options: {} },
		(callback: IDataObject): LocalAirudderApiOptions => ({ workflowCalls: [callback] }),
	],
	[
		'Get Task Details',
		'/service/cloud/workflow/taskdetail',
		{ resource: 'workflow', operation: 'getTaskDetails', taskId: String(workflowCallback.task_id), simplify: true, options: {} },
		(callback: IDataObject): LocalAirudderApiOptions => ({ workflowTasks: { [String(callback.task_id)]: callback } }),
	],
])('Workflow → %s on an answer AIRudder has not published', (_, path, parameters, serving) => {
	const [fixture] = workflowTrigger.fixtures;
	const callback = JSON.parse(fixture.body) as IDataObject & { details: IDataObject[] };
	const [call] = callback.details;
	const answering = (data: unknown): LocalAirudderApiOptions => ({ faults: { [path]: { status: 200, body: { code: 200, data } } } });

	it.each([
		['{"list": null, "total": 0}', { list: null, total: 0 }],
		['{"total": 0}', { total: 0 }],
		['{"count": 0}', { count: 0 }],
		['{"content": [], "totalElements": 0}', { content: [], totalElements: 0 }],
		['[]', []],
		['null', null],
	])('a page without calls, %s: no items and no error', async (__, data) => {
		expect(await run(parameters, answering(data))).toEqual([]);
	});

	it.each([
		['{"calls": [a callback], "total": 1}', { calls: [callback], total: 1 }],
		['Spring’s {"content": [a callback], "totalElements": 1, …}', { content: [callback], totalElements: 1, totalPages: 1, number: 0, size: 20 }],
	])('a page whose only list has another name, %s: its calls', async (__, data) => {
		expect(await run(parameters, answering(data))).toEqual(fixture.expected);
	});

	it('a list of calls that carry only the workflow fields beside their own, no task fields (as issue 35 was answered): each call, the task columns empty', async () => {
		const { workflow_id, workflow_name, nodetask_id, nodetask_name } = callback;
		const [expected] = fixture.expected as IDataObject[];
		const items = await run(parameters, answering([{ workflow_id, workflow_name, nodetask_id, nodetask_name, ...call }]));
		expect(items).toEqual([
			{
				...expected,
				task_id: null,
				task_name: null,
				status: null,
				created_at: null,
				created_at_iso: null,
				repeat_interval: null,
				repeat_number: null,
				task_robot_hash: null,
				robot_method: null,
				sip_line: null,
				schedule_start_time: null,
				schedule_start_time_iso: null,
				schedule_end_time: null,
				schedule_end_time_iso: null,
			},
		]);
	});

	it('one call on its own in data, with its task and workflow fields: that call', async () => {
		const { details, ...envelope } = callback;
		const [expected] = fixture.expected as IDataObject[];
		expect(await run(parameters, answering({ ...envelope, ...details[0] }))).toEqual([{ ...expected, task_robot_hash: null }]);
	});

	it('the local AIRudder API’s page of calls each with the task and workflow fields beside its own (pagedFlatList): the call’s robot_hash is the one kept', async () => {
		const [expected] = fixture.expected as IDataObject[];
		expect(await run(parameters, { ...serving(callback), answerShape: 'pagedFlatList' })).toEqual([{ ...expected, task_robot_hash: null }]);
	});

	it('the local AIRudder API’s page without calls, {"list": null, "total": 0} (emptyPage), though it holds the call: no items', async () => {
		expect(await run(parameters, { ...serving(callback), answerShape: 'emptyPage' })).toEqual([]);
	});
});
