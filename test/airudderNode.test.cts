import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { AirudderAction } from '../nodes/AirudderAction/AirudderAction.node';

import { executeContext, runOutputs, type ExecuteRequest } from './helpers/executeContext.cjs';
import { triggerByClass } from './helpers/triggers.cjs';
import { DEFAULT_SECRETS, deliver, encrypted } from './helpers/webhook.cjs';

/**
 * The AIRudder node as n8n runs it: its menus, which operations an AI agent may use, its outputs,
 * and how it runs input items (paired items, Continue On Fail). Each operation's own behaviour is
 * specified in its spec (decode.test.cts, and the API operations' specs).
 */

const node = new AirudderAction();
const execute = async (_node: AirudderAction, request: ExecuteRequest) => await runOutputs(executeContext({ timeZone: 'Asia/Shanghai', ...request }));
const { properties } = node.description;

const menu = (name: string, tool: boolean, resource?: string): INodeProperties[] =>
	properties.filter(
		(property) =>
			property.name === name &&
			(property.displayOptions?.show?.['@tool'] ?? [tool])[0] === tool &&
			(resource === undefined || property.displayOptions?.show?.resource?.[0] === resource),
	);

const valuesOf = (property: INodeProperties) => (property.options ?? []).map((option) => (option as { value: string }).value);

describe('its menus', () => {
	it('offer every operation in a workflow, grouped by resource, in alphabetical order', () => {
		const [resources] = menu('resource', false);
		expect(valuesOf(resources)).toEqual(['callback', 'task', 'workflow']);
		const operationsOf: Record<string, string[]> = {
			callback: ['decode'],
			task: ['get'],
			workflow: ['addContacts', 'create', 'findCalls', 'getTaskDetails'],
		};
		for (const resource of valuesOf(resources)) {
			const [operationMenu] = menu('operation', false, resource);
			const names = (operationMenu.options ?? []).map((option) => option.name);
			expect(names).toEqual([...names].sort());
			expect(valuesOf(operationMenu).sort()).toEqual(operationsOf[resource]);
		}
	});

	it('offer an AI agent only operations that neither place calls nor need a stored callback', () => {
		const offered = menu('resource', true).flatMap((resources) =>
			valuesOf(resources).flatMap((resource) => menu('operation', true, resource).flatMap(valuesOf).map((value) => `${resource}:${value}`)),
		);
		// Not Callback → Decode (reads a stored callback), nor Workflow → Create or Add Contacts (place calls).
		expect(offered.sort()).toEqual(['task:get', 'workflow:findCalls', 'workflow:getTaskDetails']);
	});
});

describe('as a tool of an AI agent', () => {
	const toolDescriptions = properties.filter((property) => property.name === 'toolDescription');

	it('describes each operation in its own words, shown only on the tool, filled in and editable', () => {
		expect(toolDescriptions.map(({ displayOptions }) => `${displayOptions?.show?.resource}:${displayOptions?.show?.operation}`).sort()).toEqual(
			['callback:decode', 'task:get', 'workflow:addContacts', 'workflow:create', 'workflow:findCalls', 'workflow:getTaskDetails'],
		);
		for (const property of toolDescriptions) {
			expect(property.displayOptions?.show?.['@tool']).toEqual([true]);
			expect(property.type).toBe('string');
		}
		expect(toolDescriptions.find((property) => property.displayOptions?.show?.operation?.[0] === 'findCalls')?.default).toBe(
			'Find the AIRudder workflow calls made between Start Time and End Time (ISO 8601, e.g. 2024-03-11T00:00:00), optionally only those of one Case ID or one Callee phone number, and return one item per call with callee_number, CaseID, result, result_label, intention_description (e.g. "Promise to pay"), call_start_time_iso and duration.',
		);
	});

	it('says in the description of Create and Add Contacts that they place real calls', () => {
		for (const operation of ['create', 'addContacts']) {
			const property = toolDescriptions.find((candidate) => candidate.displayOptions?.show?.operation?.[0] === operation);
			expect(property?.default).toMatch(/^Places real phone calls: .* Never offered to AI agents\.$/);
		}
	});

	it('gives the key columns by default on the tool and every column by default in a workflow', () => {
		const keyColumnsOnly = properties.filter((property) => property.name === 'keyColumnsOnly');
		const defaults = (tool: boolean) => [...new Set(keyColumnsOnly.filter((property) => property.displayOptions?.show?.['@tool']?.[0] === tool).map((property) => property.default))];
		expect(defaults(true)).toEqual([true]);
		expect(defaults(false)).toEqual([false]);
	});
});

describe('running Decode through the node', () => {
	const { node: trigger, definition, fixtures } = triggerByClass('AirudderWorkflowCallCompletedTrigger');
	const [{ body, expected }] = fixtures;
	const parameters = { resource: 'callback', operation: 'decode', callbackType: 'fromItem', simplify: true, outputMode: 'perItem' };
	const credentials = { airudderCallbackApi: DEFAULT_SECRETS };

	async function invalidItem(): Promise<IDataObject> {
		const run = await deliver(trigger, { ...encrypted(body), secrets: { aesSecretKey: 'wrongwrongwrong!' } });
		return run.invalid[0];
	}

	it('gives the decoded items on the first output and what cannot be read on the second, each paired with its input item', async () => {
		const readable = await invalidItem();
		const unreadable = { ...readable, rawBody: 'not the ciphertext' };
		const items: INodeExecutionData[] = [{ json: readable }, { json: unreadable }];
		const [decoded, stillInvalid] = await execute(node, { parameters, items, credentials });
		expect(decoded.map((item) => item.json)).toEqual(expected);
		expect(decoded.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(stillInvalid).toEqual([{ json: expect.objectContaining({ stage: expect.any(String) }), pairedItem: { item: 1 } }]);
	});

	it('fails on an item that is not a stored callback, naming the item, or with Continue On Fail gives it an error item', async () => {
		const items: INodeExecutionData[] = [{ json: await invalidItem() }, { json: { name: 'Ada' } }];
		const chosenType = { ...parameters, callbackType: definition.nodeName };
		await expect(execute(node, { parameters: chosenType, items, credentials })).rejects.toMatchObject({
			message: "Connect a trigger's Invalid output, or n8n's Webhook node with Raw Body on, to this node's input.",
			context: { itemIndex: 1 },
		});
		const [decoded] = await execute(node, { parameters: chosenType, items, credentials, continueOnFail: true });
		expect(decoded.at(-1)).toEqual({
			json: { error: "Connect a trigger's Invalid output, or n8n's Webhook node with Raw Body on, to this node's input." },
			pairedItem: { item: 1 },
		});
	});

	it('stops with an error naming the reason and the retry, when told to, instead of using the second output', async () => {
		const stillWrong = { ...(await invalidItem()), rawBody: 'not the ciphertext' };
		const run = execute(node, { parameters: { ...parameters, whenUnreadable: 'error' }, items: [{ json: stillWrong }], credentials });
		await expect(run).rejects.toMatchObject({
			message: expect.stringMatching(/^The callback still cannot be read: /),
			description: expect.stringContaining('open this execution in the Executions list and choose Retry'),
			context: { itemIndex: 0 },
		});
	});

	it('refuses to run Decode as an AI agent’s tool', async () => {
		await expect(execute(node, { parameters, items: [{ json: await invalidItem() }], credentials, asTool: true })).rejects.toThrow(
			'"Decode" is not available to AI agents. Run it from a workflow step instead.',
		);
	});
});

describe('its outputs', () => {
	it('are two, Items and Unreadable, for Callback, and one otherwise: an expression of the resource that n8n evaluates', () => {
		const expression = String(node.description.outputs);
		expect(expression).toMatch(/^=\{\{ .* \}\}$/);
		const outputsFor = new Function('$parameter', `return ${expression.slice(3, -2)};`) as (parameter: IDataObject) => unknown;
		expect(outputsFor({ resource: 'callback' })).toEqual([
			{ type: 'main', displayName: 'Items' },
			{ type: 'main', displayName: 'Unreadable' },
		]);
		for (const resource of ['task', 'workflow']) expect(outputsFor({ resource })).toEqual([{ type: 'main' }]);
	});
});
