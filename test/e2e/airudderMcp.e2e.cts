/**
 * The AIRudder node as a tool an AI assistant reaches over MCP, inside a real n8n on each n8n
 * version of scripts/lib/e2eVersions.js whose MCP Server Trigger has version 2 (Streamable HTTP
 * on /mcp/<path>, Bearer auth): the shipped examples/mcp-call-lookups.json imported with its AIRudder
 * tools, published, and the official MCP client listing the tools and calling them against the
 * local AIRudder API. No language model: the client fills the parameters the workflow leaves to
 * the model ($fromAI) itself.
 */

import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { e2eVersions } from '../../scripts/lib/e2eVersions';
import { startLocalAirudderApi, type LocalAirudderApi } from '../../scripts/lib/localAirudderApi';
import type { N8nInstance } from '../../scripts/lib/n8nInstance';
import { stopTrackedOnExit } from '../../scripts/lib/processes';
import { cacheRoot } from '../../scripts/lib/runtime';
import { launchSuiteN8n } from '../helpers/suiteN8n.cjs';
import { triggerByClass } from '../helpers/triggers.cjs';

// Nothing this suite starts outlives the jest run, even when a failure skips its own stopping.
stopTrackedOnExit();

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8'));
const task = fixture('task-call-ended/example.json') as { task_id: string };
const { definition } = triggerByClass('AirudderWorkflowCallCompletedTrigger');

const BEARER_TOKEN = 'local-mcp-token';
const bearerCredential = { id: 'AirudderMcpBearer', name: 'MCP clients (local)' };
const apiCredential = { id: 'AirudderMcpApiCred', name: 'AIRudder API (local, MCP)' };
const LOCAL_KEYS = { appKey: 'local-app-key', appSecret: 'local-app-secret' };
const TOOL_NODE_TYPE = 'n8n-nodes-airudder.airudderActionTool';
const MCP_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.mcpTrigger';
const MCP_TRIGGER = 'MCP Server Trigger';

/**
 * Whether an installed n8n's MCP Server Trigger has version 2, the one the example uses and the
 * client speaks, from the node list n8n's LangChain package ships. An n8n not installed yet (the
 * suite installs it) is taken to have it, as every supported n8n so far does; if it does not, the
 * import fails in beforeAll.
 */
function mcpTriggerHasVersion2(version: string): boolean {
	const nodeList = join(cacheRoot(), `n8n-${version}`, 'node_modules', '@n8n', 'n8n-nodes-langchain', 'dist', 'types', 'nodes.json');
	if (!existsSync(nodeList)) return true;
	const nodes = JSON.parse(readFileSync(nodeList, 'utf8')) as Array<{ name: string; version: number | number[] }>;
	const trigger = nodes.find((node) => node.name === 'mcpTrigger');
	return trigger !== undefined && [trigger.version].flat().includes(2);
}

type ExampleNode = { name: string; type: string; parameters: Record<string, unknown> };
const example = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'mcp-call-lookups.json'), 'utf8')) as {
	nodes: ExampleNode[];
	connections: Record<string, unknown>;
};
const MCP_PATH = String(example.nodes.find((node) => node.type === MCP_TRIGGER_TYPE)?.parameters.path);

/** What a user picks in the example's nodes: the bearer credential on the trigger, the AIRudder API credential on each tool. */
function withCredentials(node: ExampleNode) {
	if (node.type === MCP_TRIGGER_TYPE) return { ...node, credentials: { httpBearerAuth: bearerCredential } };
	return node.type === TOOL_NODE_TYPE ? { ...node, credentials: { airudderApi: apiCredential } } : node;
}

/** Create, forced in beside the example's tools by hand-editing the JSON: the editor does not offer it. */
const forcedCreate = {
	id: 'Create Workflow',
	name: 'Create Workflow',
	type: TOOL_NODE_TYPE,
	typeVersion: 1,
	position: [460, 80],
	parameters: {
		resource: 'workflow',
		operation: 'create',
		workflowTemplateId: 'template-1',
		name: 'Forced in by hand',
		endTime: '2030-01-01T00:00:00',
		contactsInput: 'fields',
		callee: '+8618000000721',
	},
	credentials: { airudderApi: apiCredential },
};

/** The shipped example as a user sets it up, with Create forced in. */
const mcpWorkflow = {
	...example,
	id: 'AirudderMcpServer',
	active: false,
	nodes: [...example.nodes.map(withCredentials), forcedCreate],
	connections: { ...example.connections, [forcedCreate.name]: { ai_tool: [[{ node: MCP_TRIGGER, type: 'ai_tool', index: 0 }]] } },
};

/** Key Columns Only, on by default for a tool: the reviewed fixture's call, its key columns. */
const [TASK_CALL] = fixture('task-call-ended/example.key-columns.expected.json') as object[];

/** The second call of the Workflow Call Completed trigger's sample, its key columns. */
const REFUSED_CALL = {
	call_id: 'ic2a7c31d84e5b4f0c9a1e6d2',
	task_id: 'ea617807492c4d0f9c09c11650',
	CaseID: 'CASE-0002',
	callee_number: '+8618000000722',
	result: 'finished',
	result_label: 'A',
	intention_description: 'Refused to pay',
	call_start_time_iso: '2024-03-11T13:24:31+08:00',
	call_end_time_iso: '2024-03-11T13:25:32+08:00',
	duration: 61,
	call_times: 1,
	NerSlots_PaymentMethod: 'Transfer',
	NerSlots_PaymentTime: 'Time_0',
};

type ToolAnswer = { isError?: boolean; content: Array<{ type: string; text: string }> };

// One describe per version rather than describe.each, which refuses an empty table (every version skipped, or none).
for (const version of e2eVersions().filter((candidate) => !mcpTriggerHasVersion2(candidate))) {
	it.skip(`n8n ${version}: skipped, its MCP Server Trigger has no version 2 (Streamable HTTP), which the example uses`, () => undefined);
}

for (const version of e2eVersions().filter(mcpTriggerHasVersion2)) describe(`the AIRudder node as a tool of n8n ${version}’s MCP Server Trigger`, () => {
	let instance: N8nInstance;
	let api: LocalAirudderApi;
	let client: Client | undefined;
	const mcpUrl = () => new URL(`${instance.baseUrl}/mcp/${MCP_PATH}`);
	const listWithoutToken = async () =>
		await fetch(mcpUrl(), {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
			body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
			signal: AbortSignal.timeout(10_000),
		});

	/** n8n registers a published workflow's webhooks moments after the publish request returns; until then the URL answers 404. */
	async function waitForMcpServer() {
		const deadline = Date.now() + 30_000;
		while ((await listWithoutToken()).status === 404) {
			if (Date.now() > deadline) throw new Error(`The MCP Server Trigger at ${mcpUrl()} was not registered within 30 s`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	beforeAll(async () => {
		api = await startLocalAirudderApi({ ...LOCAL_KEYS, tasks: { [task.task_id]: task }, workflowCalls: [definition.sample] });
		({ instance } = await launchSuiteN8n('mcp', version, {
			credentials: [
				{ ...bearerCredential, type: 'httpBearerAuth', data: { token: BEARER_TOKEN } },
				{ ...apiCredential, type: 'airudderApi', data: { ...LOCAL_KEYS, baseUrl: api.url, aesSecretKey: '' } },
			],
			workflows: [mcpWorkflow],
		}));
		await waitForMcpServer();
		client = new Client({ name: 'airudder-e2e', version: '1.0.0' });
		await client.connect(
			new StreamableHTTPClientTransport(mcpUrl(), { requestInit: { headers: { authorization: `Bearer ${BEARER_TOKEN}` } } }),
			{ timeout: 30_000 },
		);
	}, 600_000);

	afterAll(async () => {
		await client?.close();
		await instance?.stop();
		await api?.close();
	});

	const call = async (name: string, args: Record<string, unknown>) =>
		(await client!.callTool({ name, arguments: args }, undefined, { timeout: 60_000 })) as ToolAnswer;
	const itemsOf = (answer: ToolAnswer) => {
		expect(answer.isError ?? false).toBe(false);
		return JSON.parse(answer.content[0].text);
	};

	it('refuses a client without the bearer token', async () => {
		expect([401, 403]).toContain((await listWithoutToken()).status);
	});

	it('lists each tool with its own description, saying what it returns and what to fill', async () => {
		const { tools } = await client!.listTools(undefined, { timeout: 30_000 });
		const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
		expect(Object.keys(byName).sort()).toEqual(['Create_Workflow', 'Find_Calls', 'Get_Task']);
		expect(byName.Find_Calls.description).toBe(
			'Find the AIRudder workflow calls made between Start Time and End Time (ISO 8601, e.g. 2024-03-11T00:00:00), optionally only those of one Case ID or one Callee phone number, and return one item per call with callee_number, CaseID, result, result_label, intention_description (e.g. "Promise to pay"), call_start_time_iso and duration.',
		);
		expect(Object.keys(byName.Find_Calls.inputSchema.properties ?? {}).sort()).toEqual(['Callee', 'Case_ID', 'End_Time', 'Start_Time']);
		expect(byName.Get_Task.description).toBe(
			'Look up one AIRudder calling task by its Task ID and return one item per call: who was called (callee_number, CaseID), the result, result_label and intention_description, when (call_start_time_iso) and how long (duration, in seconds). Fill Task ID.',
		);
		expect(Object.keys(byName.Get_Task.inputSchema.properties ?? {})).toEqual(['Task_ID']);
		expect(byName.Create_Workflow.description).toMatch(/^Places real phone calls: .* Never offered to AI agents\.$/);
	});

	it('Find Calls answers the calls of a callee in a time range, key columns only', async () => {
		const answer = await call('Find_Calls', { Start_Time: '2024-03-11T00:00:00', End_Time: '2024-03-12T00:00:00', Case_ID: '', Callee: '+8618000000722' });
		expect(itemsOf(answer)).toEqual([REFUSED_CALL]);
	});

	it('Task → Get answers the task’s calls, the key columns of the reviewed fixture’s items', async () => {
		const expected = fixture('task-call-ended/example.expected.json') as object[];
		expect(expected).toEqual([expect.objectContaining(TASK_CALL)]);
		expect(itemsOf(await call('Get_Task', { Task_ID: task.task_id }))).toEqual([TASK_CALL]);
	});

	it('refuses Create even when a hand-edited workflow attaches it, and places no call', async () => {
		const answer = await call('Create_Workflow', {});
		expect(JSON.stringify(answer.content)).toContain('is not available to AI agents');
		expect(api.received.requests.map((request) => request.path)).not.toContain('/service/cloud/workflow/createinstance');
	});

	it('offers an agent, in the editor’s node list, no operation that places calls or reads a stored callback', async () => {
		const response = await fetch(`${instance.baseUrl}/types/nodes.json`, { headers: { cookie: instance.cookie ?? '' } });
		const types = (await response.json()) as Array<{ name: string; properties: Array<{ name: string; options?: Array<{ value: string }>; displayOptions?: { show?: Record<string, unknown[]> } }> }>;
		const tool = types.find((type) => type.name === TOOL_NODE_TYPE);
		const offered = tool!.properties
			.filter((property) => property.name === 'operation' && property.displayOptions?.show?.['@tool']?.[0] === true)
			.flatMap((property) => (property.options ?? []).map((option) => `${property.displayOptions!.show!.resource![0]}:${option.value}`));
		// n8n adds its Custom API Call entry to a node whose credential the HTTP Request node can use.
		expect(offered.sort()).toEqual(['task:__CUSTOM_API_CALL__', 'task:get', 'workflow:__CUSTOM_API_CALL__', 'workflow:findCalls', 'workflow:getTaskDetails']);
	});
});
