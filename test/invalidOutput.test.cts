/**
 * The Invalid output speaks to the person who reads the alert: one sentence per problem, naming
 * the field as AIRudder sends it and saying what AIRudder should send. The validator's own issues
 * stay beside them for developers, and every Invalid item has the same fields in the same order.
 */
import type { IDataObject } from 'n8n-workflow';

import { encryptAirudder, sha256Hex } from '../nodes/Airudder/crypto';
import type { CallbackDefinition } from '../nodes/Airudder/vocabulary/definition';
import { z } from '../nodes/Airudder/vocabulary/schemaKit';
import { validationProblems } from '../nodes/Airudder/receive/validationReasons';

import { INVALID_ITEM_COLUMNS, triggerByClass, triggersUnderTest, type TriggerUnderTest } from './helpers/triggers.cjs';
import { AES_KEY, deliver, encrypted } from './helpers/webhook.cjs';

const triggers = triggersUnderTest();
const calls = triggerByClass('AirudderWorkflowCallCompletedTrigger');
const infoCheck = JSON.parse(calls.fixtures[0].body) as IDataObject & { details: IDataObject[] };

async function invalidItemFor(trigger: TriggerUnderTest, payload: unknown): Promise<IDataObject> {
	const run = await deliver(trigger.node, { body: JSON.stringify(payload) });
	expect(run.main).toEqual([]);
	expect(run.invalid).toHaveLength(1);
	return run.invalid[0];
}

describe('reasons a person can read', () => {
	it('names each missing field and what AIRudder should send, one sentence each', async () => {
		const item = await invalidItemFor(calls, {});
		expect(item).not.toHaveProperty('reasons');
		expect(item.reason).toBe('workflow_id is missing: AIRudder should send text. details is missing: AIRudder should send a list of calls.');
	});

	it('names a field inside a call by the call, counted from 1, and quotes what was sent', async () => {
		const second = { ...infoCheck.details[0], duration: 'forty-three' };
		const item = await invalidItemFor(calls, { ...infoCheck, details: [infoCheck.details[0], second] });
		expect(item.reason).toBe('duration of call 2 in details is "forty-three": AIRudder should send a number.');
	});

	it('names the whole body when it is not an object', async () => {
		expect((await invalidItemFor(calls, [1, 2])).reason).toBe('The body is a list: AIRudder should send a JSON object.');
		expect((await invalidItemFor(calls, null)).reason).toBe('The body is empty: AIRudder should send a JSON object.');
	});

	it('offers every kind a field may have', async () => {
		const call = { ...infoCheck.details[0], id: true };
		const item = await invalidItemFor(calls, { ...infoCheck, details: [call] });
		expect(item.reason).toBe('id of call 1 in details is true: AIRudder should send text or a number.');
	});

	it('says what is missing from a message of no known kind', async () => {
		const sessions = triggerByClass('AirudderWorkflowChatbotSessionEndedTrigger');
		const session = JSON.parse(sessions.fixtures[0].body) as IDataObject & { messages: IDataObject[] };
		const messages = session.messages.map((message, index) => (index === 1 ? { ...message, content: {} } : message));
		const item = await invalidItemFor(sessions, { ...session, messages });
		expect(item.reason).toBe('content.type of entry 2 in messages is missing: AIRudder should send text.');
	});

	it('lists the first 10 problems and counts the rest', async () => {
		const details = Array.from({ length: 25 }, (_, index) => ({ ...infoCheck.details[0], call_id: `call-${index}`, duration: 'long' }));
		const item = await invalidItemFor(calls, { ...infoCheck, details });
		const sentences = String(item.reason).split(/(?<=\.) (?=[a-z0-9]|\d)/);
		expect(sentences).toHaveLength(11);
		expect(sentences[10]).toBe('15 more problems are not listed.');
		expect(item.validationIssues).toHaveLength(10);
	});

	it('keeps the validator’s own issues in validationIssues, for developers', async () => {
		const payload = { ...infoCheck, details: 'not a list' };
		const item = await invalidItemFor(calls, payload);
		expect(item.validationIssues).toEqual([
			{ expected: 'array', code: 'invalid_type', path: ['details'], message: 'Invalid input: expected array, received string' },
		]);
		expect(item.reason).toBe('details is "not a list": AIRudder should send a list of calls.');
	});

	it('says which guaranteed field an inferred callback lacks', async () => {
		const chat = triggerByClass('AirudderChatbotBotReplyTrigger');
		const { callee: _callee, ...withoutCallee } = JSON.parse(chat.fixtures[0].body) as IDataObject;
		const item = await invalidItemFor(chat, withoutCallee);
		expect(item.reason).toBe('callee is missing: AIRudder should send it in every "Callback bot reply message" callback.');
		expect(item.validationIssues).toBeNull();
	});

	it('uses the same sentences in schema_mismatch, when an inferred callback still reaches the main output', async () => {
		const chat = triggerByClass('AirudderChatbotBotReplyTrigger');
		const payload = { ...(JSON.parse(chat.fixtures[0].body) as IDataObject), channel: ['WhatsApp'] };
		const run = await deliver(chat.node, { body: JSON.stringify(payload) });
		expect(run.main[0].schema_mismatch).toBe('channel is a list: AIRudder should send text.');
	});
});

describe('the wording, for any schema a definition may use', () => {
	const schema = z.looseObject({ kind: z.enum(['call', 'chat']), mode: z.literal('live'), tries: z.number().max(5), note: z.string() });
	const definition: CallbackDefinition = { ...calls.definition, schema };
	const reasonsFor = (payload: IDataObject) => validationProblems(definition, payload, schema.safeParse(payload).error!.issues).reasons;

	it('lists the values AIRudder may send, quotes long text only in part, and falls back to the validator’s words', () => {
		expect(reasonsFor({ kind: 'fax', mode: 'replay', tries: 9, note: 7 })).toEqual([
			'kind is "fax": AIRudder should send one of "call", "chat".',
			'mode is "replay": AIRudder should send "live".',
			'tries is 9, which fails the check "Too big: expected number to be <=5".',
			'note is 7: AIRudder should send text.',
		]);
		expect(reasonsFor({ kind: 'x'.repeat(60), mode: 'live', tries: 1, note: '' })).toEqual([
			`kind is "${'x'.repeat(40)}…": AIRudder should send one of "call", "chat".`,
		]);
	});
});

describe('the same fields on every Invalid item', () => {
	const { node } = calls;
	const body = calls.fixtures[0].body;

	const encryptedNonJson = { body: Buffer.from(encryptAirudder('not json', AES_KEY)), headers: { 'Is-Encrypted': '1' } };

	it.each([
		['decrypt', { ...encrypted(body), secrets: { aesSecretKey: '' } }],
		['integrity', { body, headers: { Signed: sha256Hex('something else') } }],
		['parse', { body: '{"truncated": ' }],
		['parse', encryptedNonJson],
		['validate', { body: '[1, 2]' }],
		['token', { body, secrets: { urlToken: 'the-token' }, mode: 'manual' as const }],
	])('stage %s: all of them, in order, null where one does not apply', async (stage, request) => {
		const [item] = (await deliver(node, request)).invalid;
		expect(item.stage).toBe(stage);
		expect(Object.keys(item)).toEqual(INVALID_ITEM_COLUMNS);
		const applies = (field: string) => item[field] !== null;
		expect(applies('body')).toBe(stage === 'validate');
		expect(applies('validationIssues')).toBe(stage === 'validate');
	});

	it('carries the decrypted text when a decrypted body is not JSON', async () => {
		expect((await deliver(node, encryptedNonJson)).invalid[0].decryptedBody).toBe('not json');
	});
});
