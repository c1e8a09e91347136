import { existsSync, readFileSync } from 'fs';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { join } from 'path';

import { readCallbackSecrets } from '../nodes/Airudder/receive/callbackCredential';
import { decodeStoredCallback, TYPE_FROM_THE_ITEM, type DecodeSettings, type StoredItem } from '../nodes/AirudderAction/helpers/storedCallback';
import type { ItemOptions } from '../nodes/Airudder/output/items';
import { REFUSALS } from '../nodes/Airudder/receive/refusals';
import { callbackDefinitions } from '../nodes/catalogue';

import { signatureOf } from './helpers/signing.cjs';
import { FIXTURES, INVALID_ITEM_COLUMNS, triggerByClass, triggersUnderTest, WRITE_EXPECTED, writeExpectedItems, type Fixture } from './helpers/triggers.cjs';
import { AES_KEY, DEFAULT_SECRETS, deliver, encrypted, URL_TOKEN } from './helpers/webhook.cjs';

/**
 * Callback → Decode: a callback stored instead of received runs the trigger's own receiving
 * pipeline and gives exactly the items the trigger gives; what still cannot be read, or fails a
 * check it can still take, goes to the second output with the trigger's Invalid columns.
 */

const WRONG_KEY = 'wrongwrongwrong!';
const TIME_ZONE = 'Asia/Shanghai';
const SIMPLIFIED: ItemOptions = { mode: 'perItem', simplify: true, accountTimeZone: TIME_ZONE };

function settings(credential: ICredentialDataDecryptedObject = {}, changes: Partial<DecodeSettings> = {}): DecodeSettings {
	return {
		callbackType: TYPE_FROM_THE_ITEM,
		checkSignature: true,
		itemOptions: SIMPLIFIED,
		secrets: readCallbackSecrets({ ...DEFAULT_SECRETS, ...credential }),
		now: new Date(),
		...changes,
	};
}

/**
 * The reviewed items of a fixture for an output choice other than the default:
 * test/fixtures/<webhook path>/<case>.<choice>.expected.json. `npm run fixtures -- test/decode.test.cts`
 * writes them from what Decode gives, for the contributor to review in the diff.
 */
function reviewedItemsOf({ name }: Fixture, choice: string, decoded: unknown[]): unknown[] {
	const fixtureName = `${name}.${choice}`;
	if (WRITE_EXPECTED) return writeExpectedItems(fixtureName, decoded);
	const file = join(FIXTURES, `${fixtureName}.expected.json`);
	if (!existsSync(file)) throw new Error(`${file} is missing: write it with npm run fixtures -- test/decode.test.cts and review it.`);
	return JSON.parse(readFileSync(file, 'utf8'));
}

/** What a trigger puts on its Invalid output when its credential has the wrong AES key. */
async function invalidItemFromWrongKey(className: string, body: string): Promise<IDataObject> {
	const { node } = triggerByClass(className);
	const run = await deliver(node, { ...encrypted(body), secrets: { aesSecretKey: WRONG_KEY } });
	expect(run.main).toEqual([]);
	expect(run.invalid).toHaveLength(1);
	return run.invalid[0];
}

describe("an item from a trigger's Invalid output", () => {
	interface OutputChoice {
		choice: string;
		itemOptions: ItemOptions;
		/** The trigger's parameters for the same choice. */
		parameters: IDataObject;
		/**
		 * Where the reviewed items are, for a callback that groups several calls and for one of a
		 * single call or event: <case>.<name>.expected.json, or the fixture's own items when undefined.
		 */
		reviewed: { grouping?: string; single?: string };
	}
	const outputChoices: OutputChoice[] = [
		{ choice: 'Simplify on', itemOptions: SIMPLIFIED, parameters: { simplify: true }, reviewed: {} },
		{
			choice: 'Simplify off',
			itemOptions: { ...SIMPLIFIED, simplify: false },
			parameters: { simplify: false },
			reviewed: { grouping: 'simplify-off', single: 'simplify-off' },
		},
		{
			choice: 'One Item per Callback',
			itemOptions: { ...SIMPLIFIED, mode: 'perCallback' },
			parameters: { outputMode: 'perCallback' },
			// A callback of one call or event gives its usual items whatever Output a workflow has stored.
			reviewed: { grouping: 'per-callback' },
		},
	];

	describe.each(triggersUnderTest().map((trigger) => [trigger.className, trigger] as const))('%s', (className, trigger) => {
		const [fixture] = trigger.fixtures;

		it.each(outputChoices)(
			'gives, once the AES key is right, exactly the expected items of the fixture, which the trigger gives with the right key ($choice)',
			async ({ itemOptions, parameters, reviewed }) => {
				const invalidItem = await invalidItemFromWrongKey(className, fixture.body);
				const decoded = await decodeStoredCallback({ json: invalidItem }, callbackDefinitions, settings({}, { itemOptions }));
				const reviewedName = trigger.definition.split ? reviewed.grouping : reviewed.single;
				const expected = reviewedName ? reviewedItemsOf(fixture, reviewedName, decoded.items) : fixture.expected;
				expect(expected.length).toBeGreaterThan(0);
				expect(decoded).toEqual({ items: expected, unreadable: [] });
				expect((await deliver(trigger.node, { ...encrypted(fixture.body), parameters })).main).toEqual(expected);
			},
		);
	});

	const calls = triggerByClass('AirudderWorkflowCallCompletedTrigger');
	const [infoCheck] = calls.fixtures;
	const infoCheckItems = { items: infoCheck.expected, unreadable: [] };

	it('stays unreadable while the key is still wrong, with the trigger’s Invalid columns and reason', async () => {
		const invalidItem = await invalidItemFromWrongKey(calls.className, infoCheck.body);
		const decoded = await decodeStoredCallback({ json: invalidItem }, callbackDefinitions, settings({ aesSecretKey: WRONG_KEY }));
		expect(decoded.items).toEqual([]);
		expect(decoded.unreadable).toHaveLength(1);
		expect(Object.keys(decoded.unreadable[0])).toEqual(INVALID_ITEM_COLUMNS);
		expect(decoded.unreadable[0]).toMatchObject({
			stage: 'integrity',
			reason: 'The "Signed" header does not match the decrypted body: the AES Key is probably wrong.',
			rawBody: invalidItem.rawBody,
		});
	});

	it('checks the signature when someone put its header back, and refuses a wrong one to the second output', async () => {
		const invalidItem = await invalidItemFromWrongKey(calls.className, infoCheck.body);
		const signed = { signatureScheme: 'hmacSha256Hex', signingSecret: 'airudder' };
		const headers = { ...(invalidItem.headers as IDataObject), 'x-airudder-sign': 'not-the-signature' };
		const decoded = await decodeStoredCallback({ json: { ...invalidItem, headers } }, callbackDefinitions, settings(signed));
		expect(decoded.items).toEqual([]);
		expect(decoded.unreadable).toEqual([expect.objectContaining({ stage: 'signature', reason: REFUSALS.wrongSignature, rawBody: null })]);

		const unchecked = await decodeStoredCallback({ json: invalidItem }, callbackDefinitions, settings(signed));
		expect(unchecked).toEqual(infoCheckItems);
	});

	it('reads headers a sheet kept as JSON text', async () => {
		const invalidItem = await invalidItemFromWrongKey(calls.className, infoCheck.body);
		const fromSheet = { ...invalidItem, headers: JSON.stringify(invalidItem.headers) };
		expect(await decodeStoredCallback({ json: fromSheet }, callbackDefinitions, settings())).toEqual(infoCheckItems);
	});

	it('takes the callback type named in the item, or the one chosen', async () => {
		const invalidItem = await invalidItemFromWrongKey(calls.className, infoCheck.body);
		const chosen = settings({}, { callbackType: calls.definition.nodeName });
		expect(await decodeStoredCallback({ json: invalidItem }, callbackDefinitions, settings())).toEqual(infoCheckItems);
		expect(await decodeStoredCallback({ json: { ...invalidItem, callbackType: null } }, callbackDefinitions, chosen)).toEqual(infoCheckItems);
	});

	it('cannot decode a callback refused on arrival, which kept no body, and says what to do', async () => {
		const { node, definition } = triggerByClass('AirudderWorkflowCallCompletedTrigger');
		const refused = await deliver(node, { body: JSON.stringify(definition.sample), query: { token: 'wrong' }, mode: 'manual' });
		expect(refused.invalid[0]).toMatchObject({ stage: 'token', rawBody: null });
		const decoded = await decodeStoredCallback({ json: refused.invalid[0] }, callbackDefinitions, settings());
		expect(decoded.items).toEqual([]);
		expect(decoded.unreadable).toEqual([
			expect.objectContaining({
				stage: 'token',
				reason: expect.stringMatching(/^This callback was refused on arrival \(stage "token"\), so its body was not kept .* ask AIRudder to send the callback again\.$/),
			}),
		]);
	});
});

describe("an item from n8n's Webhook node with Raw Body on", () => {
	const { definition, fixtures } = triggerByClass('AirudderWorkflowCallCompletedTrigger');
	const [{ body, expected }] = fixtures;
	const signing = { signatureScheme: 'hmacSha256Hex', signingSecret: 'airudder' };
	const chosenType = { callbackType: definition.nodeName };

	/** The Webhook node's item: headers, params, query and the parsed body, with the bytes as binary. */
	function webhookItem(headers: IDataObject, query: IDataObject = { token: URL_TOKEN }): StoredItem {
		return {
			json: { headers: { 'content-type': 'application/json', ...headers }, params: {}, query, body: JSON.parse(body) },
			rawBody: Buffer.from(body),
		};
	}

	it('gives the trigger’s items for a genuine signed callback', async () => {
		const signature = signatureOf('hmacSha256Hex', body, 'airudder');
		const decoded = await decodeStoredCallback(webhookItem({ 'x-airudder-sign': signature }), callbackDefinitions, settings(signing, chosenType));
		expect(decoded).toEqual({ items: expected, unreadable: [] });
	});

	it('sends a forgery to the second output, where the trigger would have answered 401', async () => {
		const forged = await decodeStoredCallback(webhookItem({ 'x-airudder-sign': 'forged' }), callbackDefinitions, settings(signing, chosenType));
		const unsigned = await decodeStoredCallback(webhookItem({}), callbackDefinitions, settings(signing, chosenType));
		const noToken = await decodeStoredCallback(webhookItem({}, {}), callbackDefinitions, settings({}, chosenType));
		expect([forged, unsigned, noToken]).toEqual([
			{ items: [], unreadable: [expect.objectContaining({ stage: 'signature', reason: REFUSALS.wrongSignature, rawBody: null })] },
			{ items: [], unreadable: [expect.objectContaining({ stage: 'signature', reason: REFUSALS.unsigned('X-AIRudder-Sign') })] },
			{ items: [], unreadable: [expect.objectContaining({ stage: 'token', reason: REFUSALS.wrongToken })] },
		]);
	});

	it('says to turn on Raw Body when the signature must be checked over bytes the item does not have', async () => {
		const parsedOnly = { json: { ...webhookItem({ 'x-airudder-sign': 'any' }).json } };
		await expect(decodeStoredCallback(parsedOnly, callbackDefinitions, settings(signing, chosenType))).rejects.toThrow(
			"This item from n8n's Webhook node has no raw body, so the signature cannot be checked. Turn on Options → Raw Body in the Webhook node, or set Raw Body Binary Property to the binary property that holds the body.",
		);
		expect(await decodeStoredCallback(parsedOnly, callbackDefinitions, settings({}, chosenType))).toEqual({ items: expected, unreadable: [] });
	});

	it('reads an encrypted body from the binary property, which n8n cannot parse as JSON', async () => {
		const { body: ciphertext, headers } = encrypted(body, AES_KEY);
		const item: StoredItem = { json: { headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), query: { token: URL_TOKEN } }, rawBody: ciphertext };
		expect(await decodeStoredCallback(item, callbackDefinitions, settings({}, chosenType))).toEqual({ items: expected, unreadable: [] });
	});
});

describe('an item that is not a stored callback', () => {
	it('fails with a sentence that says what to connect', async () => {
		await expect(decodeStoredCallback({ json: { name: 'Ada' } }, callbackDefinitions, settings({}, { callbackType: callbackDefinitions[0].nodeName }))).rejects.toThrow(
			"Connect a trigger's Invalid output, or n8n's Webhook node with Raw Body on, to this node's input.",
		);
	});

	it('fails when the callback type is neither named in the item nor chosen', async () => {
		await expect(decodeStoredCallback({ json: { headers: {}, body: {} } }, callbackDefinitions, settings())).rejects.toThrow(
			'This item does not say which trigger received it (it has no callbackType). Pick the callback type from the Callback Type list.',
		);
	});
});
