/**
 * Dragging any of our fields into another node works on every supported n8n (issue 36): for each
 * item our nodes emit — every trigger's main output for each vendor payload and sample, with
 * Simplify on and off and in each Output mode, their Invalid output, and the AIRudder node's
 * operations — every column and nested path, dragged from the table, schema or JSON view of the
 * input panel, gives its value when that n8n's own n8n-workflow evaluates the expression the
 * editor writes (test/helpers/dragExpressions.cts), with the legacy engine (the editor's preview,
 * and N8N_EXPRESSION_ENGINE=legacy) and with the engine n8n runs by default where that is another
 * (the isolate engine "vm" of 1.123.x and 2.41.x), on the Node that n8n runs on
 * (test/helpers/runtimeExpressions.js).
 *
 * It needs the installed runtimes of scripts/provision.js (the n8n-workflow and Node of each), and
 * starts no n8n: run it alone with `npx jest -c jest.e2e.config.js test/e2e/dragMapping.e2e.cts`,
 * AIRUDDER_E2E_N8N choosing the versions as for the other end-to-end specs.
 */
import { existsSync, readFileSync } from 'fs';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { join } from 'path';

import { e2eVersions } from '../../scripts/lib/e2eVersions';
import { startLocalAirudderApi, type LocalAirudderApiOptions } from '../../scripts/lib/localAirudderApi';
import { installedRuntime } from '../../scripts/lib/runtime';
import { DEFAULT_SOURCE, dragTargets, type DragSource, type DragView } from '../helpers/dragExpressions.cjs';
import { executeContext, runOutputs } from '../helpers/executeContext.cjs';
import { defaultEngineOf, evaluateWithEngine, evaluateWithLegacyEngine, isSafeObjectProperty, refusedNamesOf } from '../helpers/runtimeExpressions';
import { triggersUnderTest, type TriggerUnderTest } from '../helpers/triggers.cjs';
import { AES_KEY, DEFAULT_SECRETS, deliver, encrypted, type CallbackRequest } from '../helpers/webhook.cjs';

/** Items one node emits on one output for one input, named so a failure says where it came from. */
interface Emitted {
	node: string;
	origin: string;
	items: IDataObject[];
}

const VIEWS: DragView[] = ['table', 'schema', 'json'];
/** The source nodes a drag starts from: the node right before, and one further up (`$('…').item.json`). */
const SOURCES: DragSource[] = [DEFAULT_SOURCE, { nodeName: "AIRudder's Trigger", distanceFromActive: 2 }];

/**
 * Names n8n's other rule refuses, any expression whose text matches /\.\s*constructor/: written
 * after a dot, in brackets, with a space; and one it takes, which items keep.
 */
const CONSTRUCTOR_TEXT_NAMES = ['constructorId', 'a.constructor', 'meta. constructorName', 'constructor id'];

const triggers = triggersUnderTest();
const ACTION = 'AirudderAction';
const nodeNames = [...triggers.map(({ className }) => className), ACTION];

function n8nWorkflowOf(version: string): string {
	return join(installedRuntime(version).dir, 'node_modules', 'n8n-workflow');
}

/** The same callback with one top-level field left out, for each field whose absence the trigger refuses. */
function payloadsMissingAField(sample: IDataObject): Array<[string, IDataObject]> {
	return Object.keys(sample).map((key) => {
		const { [key]: _left, ...rest } = sample;
		return [key, rest];
	});
}

async function triggerOutputs(trigger: TriggerUnderTest): Promise<Emitted[]> {
	const { className: node, definition } = trigger;
	const bodies: Array<[string, string]> = [
		...trigger.fixtures.map(({ name, body }): [string, string] => [name, body]),
		['definition sample', JSON.stringify(definition.sample)],
	];
	const emitted: Emitted[] = [];
	const add = (origin: string, items: IDataObject[]) => emitted.push({ node, origin, items });
	for (const [name, body] of bodies) {
		for (const simplify of [true, false]) {
			for (const outputMode of ['perItem', 'perCallback']) {
				const run = await deliver(trigger.node, { body, parameters: { simplify, outputMode } });
				add(`${name}, Simplify ${simplify ? 'on' : 'off'}, Output ${outputMode}: main`, run.main);
				add(`${name}, Simplify ${simplify ? 'on' : 'off'}, Output ${outputMode}: Invalid`, run.invalid);
			}
		}
	}
	const invalidRequests: Array<[string, CallbackRequest]> = [
		['a body that is a list', { body: '[1, 2]' }],
		['a truncated body', { body: '{"truncated": ' }],
		['a body that is a list, with headers named callee, arguments and binding', { body: '[1, 2]', headers: { Callee: '+6281', Arguments: 'a', Binding: 'b' } }],
		['an encrypted body that is not JSON', { body: Buffer.from(encrypted('not json').body), headers: { 'Is-Encrypted': '1' } }],
		['the wrong AES key', { ...encrypted(JSON.stringify(definition.sample), AES_KEY), secrets: { aesSecretKey: 'wrongwrongwrong!' } }],
		['a Signed header that does not match', { body: JSON.stringify(definition.sample), headers: { Signed: 'f'.repeat(64) } }],
		['a missing URL token', { body: JSON.stringify(definition.sample), secrets: { urlToken: 'the-token' }, mode: 'manual' }],
		...payloadsMissingAField(definition.sample).map(([key, payload]): [string, CallbackRequest] => [`the sample without ${key}`, { body: JSON.stringify(payload) }]),
	];
	for (const [name, request] of invalidRequests) {
		for (const simplify of [true, false]) {
			const run = await deliver(trigger.node, { ...request, parameters: { simplify } });
			add(`${name}, Simplify ${simplify ? 'on' : 'off'}: main`, run.main);
			add(`${name}, Simplify ${simplify ? 'on' : 'off'}: Invalid`, run.invalid);
		}
	}
	return emitted.filter(({ items }) => items.length > 0);
}

const KEYS = { appKey: 'local-app-key', appSecret: 'local-app-secret', aesSecretKey: '' };

/** The AIRudder node's outputs, each operation run as test/airudderOperations.test.cts runs it. */
async function actionOutputs(): Promise<Emitted[]> {
	const byClass = (className: string) => triggers.find((trigger) => trigger.className === className)!;
	const taskTrigger = byClass('AirudderTaskCallEndedTrigger');
	const workflowTrigger = byClass('AirudderWorkflowCallCompletedTrigger');
	const task = JSON.parse(taskTrigger.fixtures[0].body) as IDataObject & { task_id: string };
	const workflowCallback = JSON.parse(workflowTrigger.fixtures[0].body) as IDataObject & { task_id: string; details: IDataObject[] };
	const workflowCalls = workflowCallback.details.map((call, index) => ({
		...call,
		call_id: `call-${index}`,
		CaseID: 'case-7',
		call_start_time: `2026-12-03 09:0${index}:00`,
	}));
	const emitted: Emitted[] = [];
	const run = async (origin: string, parameters: IDataObject, api: LocalAirudderApiOptions = {}, items: INodeExecutionData[] = [{ json: {} }]) => {
		const local = await startLocalAirudderApi(api);
		try {
			const harness = executeContext({
				parameters,
				items,
				credential: { ...KEYS, baseUrl: local.url },
				credentials: { airudderCallbackApi: DEFAULT_SECRETS },
				timeZone: 'Asia/Shanghai',
				continueOnFail: true,
			});
			const outputs = await runOutputs(harness);
			outputs.forEach((output, index) => emitted.push({ node: ACTION, origin: `${origin}: output ${index + 1}`, items: output.map((item) => item.json) }));
		} finally {
			await local.close();
		}
	};
	for (const simplify of [true, false]) {
		const mode = `Simplify ${simplify ? 'on' : 'off'}`;
		await run(`Task → Get, ${mode}`, { resource: 'task', operation: 'get', taskId: task.task_id, simplify, options: {} }, { tasks: { [task.task_id]: task } });
		await run(
			`Workflow → Find Calls, ${mode}`,
			{ resource: 'workflow', operation: 'findCalls', startTime: '2026-12-03T00:00:00', endTime: '2026-12-04T00:00:00', caseId: 'case-7', callee: '', simplify, options: {} },
			{ workflowCalls: [{ ...workflowCallback, details: workflowCalls }] },
		);
		await run(
			`Workflow → Get Task Details, ${mode}`,
			{ resource: 'workflow', operation: 'getTaskDetails', taskId: String(workflowCallback.task_id), simplify, options: {} },
			{ workflowTasks: { [String(workflowCallback.task_id)]: workflowCallback } },
		);
	}
	await run('Workflow → Create', {
		resource: 'workflow',
		operation: 'create',
		workflowTemplateId: 'template-1',
		name: 'Reminders',
		endTime: '2026-12-05T18:00:00',
		contactsInput: 'json',
		contactList: '[{"callee": "+6281234567890", "variables": {"name": "Ana"}}]',
		options: {},
	});
	await run('Workflow → Add Contacts', {
		resource: 'workflow',
		operation: 'addContacts',
		workflowId: 'wf-1',
		contactsInput: 'fields',
		callee: '+6281',
		variables: { row: 0 },
	});
	// Decode: stored Invalid items of every trigger, readable with the right key, and one that is not.
	for (const trigger of triggers) {
		const stored = await deliver(trigger.node, { ...encrypted(JSON.stringify(trigger.definition.sample)), secrets: { aesSecretKey: 'wrongwrongwrong!' } });
		const items = [{ json: stored.invalid[0] }, { json: { ...stored.invalid[0], rawBody: 'not the ciphertext' } }, { json: { not: 'a callback' } }];
		for (const simplify of [true, false]) {
			for (const outputMode of ['perItem', 'perCallback']) {
				await run(
					`Callback → Decode ${trigger.className}, Simplify ${simplify ? 'on' : 'off'}, Output ${outputMode}`,
					{ resource: 'callback', operation: 'decode', callbackType: 'fromItem', simplify, outputMode },
					{},
					items,
				);
			}
		}
	}
	return emitted.filter(({ items }) => items.length > 0);
}

/** `target` with a field under each name, set as JSON.parse sets keys ("__proto__" included). */
function withFieldsNamed<T extends object>(target: T, names: string[]): T {
	for (const name of names) Object.defineProperty(target, name, { value: `sent as ${name}`, enumerable: true, writable: true, configurable: true });
	return target;
}

/** The object whose fields become an item's fields: the first split entry, the wrapped object, or the payload. */
function itemFieldsIn({ definition }: TriggerUnderTest, payload: IDataObject): IDataObject {
	if (definition.split) return (payload[definition.split.field] as IDataObject[])[0];
	if (definition.unwrap) return payload[definition.unwrap.field] as IDataObject;
	return payload;
}

/**
 * Each trigger's items for its sample with a field under every name given, as AIRudder may add
 * fields the schema does not know: at the payload's top level, among the item's own fields, in a
 * nested object and in the entries of a list.
 */
async function outputsWithFieldsNamed(names: string[]): Promise<Emitted[]> {
	const emitted: Emitted[] = [];
	for (const trigger of triggers) {
		const payload = withFieldsNamed(JSON.parse(JSON.stringify(trigger.definition.sample)) as IDataObject, names);
		const fields = itemFieldsIn(trigger, payload);
		withFieldsNamed(fields, names);
		fields.added_object = withFieldsNamed({ kept: 'beside them' }, names);
		fields.added_list = [withFieldsNamed({}, names), withFieldsNamed({}, names)];
		const body = JSON.stringify(payload);
		for (const simplify of [true, false]) {
			for (const outputMode of ['perItem', 'perCallback']) {
				const run = await deliver(trigger.node, { body, parameters: { simplify, outputMode } });
				const origin = `${trigger.className}'s sample with the names added, Simplify ${simplify ? 'on' : 'off'}, Output ${outputMode}`;
				emitted.push({ node: trigger.className, origin: `${origin}: main`, items: run.main }, { node: trigger.className, origin: `${origin}: Invalid`, items: run.invalid });
			}
		}
	}
	return emitted.filter(({ items }) => items.length > 0);
}

const emitted: Emitted[] = [];

beforeAll(async () => {
	for (const trigger of triggers) emitted.push(...(await triggerOutputs(trigger)));
	emitted.push(...(await actionOutputs()));
}, 300_000);

interface Refusal {
	origin: string;
	view: DragView;
	/** The dragged field's path, array indexes as [*]. */
	field: string;
	expression: string;
	/** The error, or the value n8n gave instead of the field's. */
	got: string;
}

function fieldName(path: Array<string | number>): string {
	return path.map((part, index) => (typeof part === 'number' ? '[*]' : index === 0 ? part : `.${part}`)).join('');
}

/** How an expression is evaluated: a runtime's n8n-workflow, with one of its engines. */
interface Evaluator {
	version: string;
	/** "legacy", or the engine n8n starts by default, with its settings. */
	engine: { engine: string } & IDataObject;
}

/**
 * Every drag of every field of the node's items that does not give the field's value on this n8n.
 * The schema view writes what the table view writes, and the JSON view too for keys that are
 * identifiers, so each distinct expression is evaluated once per item; a drag from a node further
 * up (`$('…').item.json`) is tried on the top-level columns.
 */
function refusals({ version, engine }: Evaluator, outputs: Emitted[]): Refusal[] {
	const items: IDataObject[] = [];
	const cases: Array<{ item: number; expression: string; source: DragSource; value: unknown; origin: string; view: DragView; path: Array<string | number> }> = [];
	for (const { origin, items: emittedItems } of outputs) {
		emittedItems.forEach((emittedItem, index) => {
			const item = items.push(JSON.parse(JSON.stringify(emittedItem)) as IDataObject) - 1;
			for (const source of SOURCES) {
				for (const { path, value, expressions } of dragTargets(emittedItem, source)) {
					if (source !== DEFAULT_SOURCE && path.length > 1) continue;
					const tried = new Set<string>();
					for (const view of VIEWS) {
						const expression = expressions[view];
						if (tried.has(expression)) continue;
						tried.add(expression);
						cases.push({ item, expression, source, value, origin: `${origin}, item ${index + 1}`, view, path });
					}
				}
			}
		});
	}
	const workflowModule = n8nWorkflowOf(version);
	const toEvaluate = cases.map(({ item, expression, source }) => ({ item, expression, source }));
	const results =
		engine.engine === 'legacy'
			? evaluateWithLegacyEngine(workflowModule, items, toEvaluate)
			: evaluateWithEngine({ nodeBin: installedRuntime(version).nodeBin, workflowModule }, engine, items, toEvaluate);
	return cases.flatMap(({ value, origin, view, path, expression }, index) => {
		const result = results[index];
		if (result.ok && JSON.stringify(result.value) === JSON.stringify(value)) return [];
		return [{ origin, view, field: fieldName(path), expression, got: result.ok ? `gives ${JSON.stringify(result.value)?.slice(0, 80)}` : result.error }];
	});
}

/**
 * One line per way a drag fails (the error, naming the refused key), with every field it fails
 * on, so the rename can cover them all.
 */
function summarize(found: Refusal[]): string[] {
	const byProblem = new Map<string, { fields: Set<string>; drags: number; first: Refusal }>();
	for (const refusal of found) {
		const entry = byProblem.get(refusal.got) ?? { fields: new Set<string>(), drags: 0, first: refusal };
		entry.fields.add(refusal.field);
		entry.drags += 1;
		byProblem.set(refusal.got, entry);
	}
	return [...byProblem.entries()].map(
		([problem, { fields, drags, first }]) =>
			`${problem}: ${drags} drags, fields ${[...fields].sort().join(', ')} (first: ${first.expression} in ${first.origin}, ${first.view} view)`,
	);
}

/** The engines each n8n evaluates with: legacy, and the one it starts by default where that is another. */
function enginesOf(version: string): Array<Evaluator['engine']> {
	const { dir } = installedRuntime(version);
	if (!existsSync(dir)) throw new Error(`n8n ${version} is not installed at ${dir}: run node scripts/provision.js`);
	const defaultEngine = defaultEngineOf(dir);
	return [{ engine: 'legacy' }, ...(defaultEngine && defaultEngine.engine !== 'legacy' ? [defaultEngine as Evaluator['engine']] : [])];
}

describe.each(e2eVersions())('on n8n %s', (version) => {
	const workflowModule = n8nWorkflowOf(version);
	const refusedNames = refusedNamesOf(workflowModule);
	const withRefusedNames: Emitted[] = [];

	beforeAll(async () => {
		withRefusedNames.push(...(await outputsWithFieldsNamed([...refusedNames, ...CONSTRUCTOR_TEXT_NAMES])));
	}, 300_000);

	it('emits items to drag from every node', () => {
		for (const node of nodeNames) expect(emitted.some((output) => output.node === node)).toBe(true);
	});

	it('refuses the names of its own list and any expression with ".constructor" in it, and the spec adds them all', () => {
		expect(refusedNames).toEqual(expect.arrayContaining(['__proto__', 'prototype', 'constructor', 'binding']));
		expect(refusedNames.filter((name) => isSafeObjectProperty(workflowModule, name))).toEqual([]);
		expect(isSafeObjectProperty(workflowModule, 'callee_number')).toBe(true);
		const expressionCode = readFileSync(join(workflowModule, 'dist', 'cjs', 'expression.js'), 'utf8');
		expect(expressionCode).toContain('new RegExp(/\\.\\s*constructor/gm)');
		expect(withRefusedNames.length).toBeGreaterThanOrEqual(triggers.length * 4);
	});

	describe.each(enginesOf(version).map((engine) => [engine.engine, engine] as const))('with the %s expression engine', (_name, engine) => {
		const evaluator: Evaluator = { version, engine };

		it.each(nodeNames)('%s: every column and nested path dragged into another node gives its value', (node) => {
			expect(summarize(refusals(evaluator, emitted.filter((output) => output.node === node)))).toEqual([]);
		});

		it('every trigger: a field AIRudder adds under a name n8n refuses, at any level, can be dragged too', () => {
			expect(summarize(refusals(evaluator, withRefusedNames))).toEqual([]);
		});
	});
});
