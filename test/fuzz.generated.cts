/**
 * Malformed bodies, 10 000 of them per run. None may crash the node, hang it, or produce output
 * n8n cannot store. Each kind has one documented outcome (README, "What happens to a malformed
 * callback"): refused with a 4xx, or answered 200 with the body kept on the "Invalid" output, or,
 * where the body is still a genuine callback, items on the main output.
 */
import { createCipheriv } from 'crypto';
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';
import { gunzipSync, gzipSync } from 'zlib';

import { encryptAirudder, sha256Hex } from '../nodes/Airudder/crypto';
import { MAX_NESTING_DEPTH } from '../nodes/Airudder/limits';
import { REFUSALS } from '../nodes/Airudder/receive/refusals';
import { triggerByClass, triggersUnderTest } from './helpers/triggers.cjs';
import { AES_KEY, deliver, type CallbackRequest, type WebhookRun } from './helpers/webhook.cjs';

const aClassName = fc.constantFrom(...triggersUnderTest().map(({ className }) => className));
const workflowCalls = triggerByClass('AirudderWorkflowCallCompletedTrigger');

const sampleText = (className: string) => JSON.stringify(triggerByClass(className).definition.sample);

async function deliverStorable(className: string, request: CallbackRequest): Promise<WebhookRun> {
	const run = await deliver(triggerByClass(className).node, request);
	// n8n serialises every output item to store the execution; that must not throw.
	expect(() => JSON.stringify(run.result)).not.toThrow();
	return run;
}

function expectInvalid(run: WebhookRun, stages: string[]) {
	expect(run.status).toBeUndefined();
	expect(run.main).toEqual([]);
	expect(run.invalid).toHaveLength(1);
	expect(run.invalid[0]).toMatchObject({ reason: expect.any(String), rawBody: expect.any(String) });
	expect(stages).toContain(run.invalid[0].stage);
}

/** Plain AES-ECB without AIRudder's extra zero block, as another sender might encrypt. */
function encryptWithoutExtraBlock(plaintext: string, key: string): string {
	const cipher = createCipheriv('aes-128-ecb', Buffer.from(key), null);
	cipher.setAutoPadding(false);
	return Buffer.concat([cipher.update(Buffer.from(plaintext)), cipher.final()]).toString('base64');
}

/** Nested values as JSON text, built without recursion so any depth can be written. */
function nestedText(depth: number, asArrays: boolean): string {
	return asArrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"n":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

describe('the parser fuzz suite (10 000 malformed bodies)', () => {
	it('truncated JSON → 200, Invalid (parse)', async () => {
		await fc.assert(
			fc.asyncProperty(aClassName, fc.nat(), async (className, cut) => {
				const text = sampleText(className);
				const run = await deliverStorable(className, { body: text.slice(0, 1 + (cut % (text.length - 1))) });
				expectInvalid(run, ['parse']);
			}),
			{ numRuns: 2000 },
		);
	});

	it('arbitrary text → 200, Invalid (parse, decrypt or validate), unless it happens to be a genuine callback', async () => {
		await fc.assert(
			fc.asyncProperty(aClassName, fc.string({ unit: 'binary', maxLength: 300 }), async (className, text) => {
				const run = await deliverStorable(className, { body: text });
				fc.pre(run.main.length === 0);
				expectInvalid(run, ['parse', 'decrypt', 'validate']);
			}),
			{ numRuns: 2000 },
		);
	});

	it('JSON of the wrong shape (any value, nulls, wrong field types) → Invalid (validate), or the main output with schema_mismatch', async () => {
		const aWrongValue = fc.oneof(fc.constant(null), fc.jsonValue({ maxDepth: 3 }));
		await fc.assert(
			fc.asyncProperty(aClassName, fc.nat(), aWrongValue, fc.boolean(), async (className, fieldIndex, value, replaceWholeBody) => {
				const sample = triggerByClass(className).definition.sample;
				const fields = Object.keys(sample);
				const body = replaceWholeBody ? value : { ...sample, [fields[fieldIndex % fields.length]]: value };
				const run = await deliverStorable(className, { body: JSON.stringify(body) });
				if (run.main.length > 0) {
					// Accepted only as a genuine callback: numbers sent as text are coerced, a
					// non-core field of another type is labelled, and nothing is dropped.
					expect(run.invalid).toEqual([]);
				} else {
					// A whole body of digits long enough to be base64 is taken for a ciphertext.
					expectInvalid(run, replaceWholeBody ? ['validate', 'decrypt'] : ['validate']);
				}
			}),
			{ numRuns: 2000 },
		);
	});

	it('invalid base64 sent as encrypted → 200, Invalid (decrypt)', async () => {
		const aNotBase64 = fc.string({ minLength: 1 }).filter((text) => /[^A-Za-z0-9+/=\s]/.test(text));
		await fc.assert(
			fc.asyncProperty(aClassName, aNotBase64, async (className, text) => {
				const run = await deliverStorable(className, { body: text, headers: { 'Is-Encrypted': '1' } });
				expectInvalid(run, ['decrypt']);
			}),
			{ numRuns: 1000 },
		);
	});

	it('the wrong AES key → 200, Invalid (integrity when "Signed" is sent, otherwise decrypt or parse)', async () => {
		const aWrongKey = fc
			.constantFrom(16, 24, 32)
			.chain((length) => fc.string({ minLength: length, maxLength: length, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789') }))
			.filter((key) => key !== AES_KEY);
		await fc.assert(
			fc.asyncProperty(aClassName, aWrongKey, fc.boolean(), async (className, key, sendSigned) => {
				const text = sampleText(className);
				const headers: Record<string, string> = { 'Is-Encrypted': '1', ...(sendSigned ? { Signed: sha256Hex(text) } : {}) };
				const run = await deliverStorable(className, { body: encryptAirudder(text, key), headers });
				expectInvalid(run, sendSigned ? ['integrity'] : ['parse', 'decrypt']);
			}),
			{ numRuns: 1000 },
		);
	});

	it('a credential AES key of the wrong length → 200, Invalid (decrypt), and activation names the problem', async () => {
		const aBadLength = fc.string({ minLength: 1, maxLength: 40 }).filter((key) => ![16, 24, 32].includes(Buffer.byteLength(key)));
		await fc.assert(
			fc.asyncProperty(aClassName, aBadLength, async (className, key) => {
				const run = await deliverStorable(className, {
					...{ body: encryptAirudder(sampleText(className), AES_KEY), headers: { 'Is-Encrypted': '1' } },
					secrets: { aesSecretKey: key },
				});
				expectInvalid(run, ['decrypt']);
				expect(run.invalid[0].reason).toMatch(/16, 24 or 32 bytes/);
			}),
			{ numRuns: 500 },
		);
	});

	it('plaintexts filling whole 16-byte blocks, with or without the extra zero block → decrypted exactly', async () => {
		await fc.assert(
			fc.asyncProperty(aClassName, fc.nat({ max: 15 }), fc.boolean(), async (className, extra, extraBlock) => {
				const text = sampleText(className);
				const withSpaces = text + ' '.repeat(extra);
				const padded = withSpaces + ' '.repeat((16 - (Buffer.byteLength(withSpaces) % 16)) % 16);
				expect(Buffer.byteLength(padded) % 16).toBe(0);
				const body = extraBlock ? encryptAirudder(padded, AES_KEY) : encryptWithoutExtraBlock(padded, AES_KEY);
				const run = await deliverStorable(className, { body, headers: { 'Is-Encrypted': '1', Signed: sha256Hex(padded) } });
				expect(run.main).toEqual((await deliver(triggerByClass(className).node, { body: text })).main);
			}),
			{ numRuns: 500 },
		);
	});

	it(`nesting deeper than ${MAX_NESTING_DEPTH} levels → 200, Invalid (parse); shallower nesting is kept`, async () => {
		await fc.assert(
			fc.asyncProperty(aClassName, fc.integer({ min: 1, max: 200_000 }), fc.boolean(), async (className, depth, asArrays) => {
				const text = sampleText(className);
				const body = `${text.slice(0, -1)},"deep_extra":${nestedText(depth, asArrays)}}`;
				const run = await deliverStorable(className, { body });
				if (depth + 1 > MAX_NESTING_DEPTH) {
					expectInvalid(run, ['parse']);
					expect(run.invalid[0].reason).toMatch(/nests deeper/);
				} else {
					expect(run.main.length).toBeGreaterThan(0);
				}
			}),
			{ numRuns: 300 },
		);
	});

	it('invalid UTF-8, gzip without Content-Encoding → 200, Invalid (parse), bytes kept in base64', async () => {
		const aBinaryBody = fc.oneof(
			fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(bytes)])),
			aClassName.map((className) => gzipSync(sampleText(className))),
		);
		await fc.assert(
			fc.asyncProperty(aClassName, aBinaryBody, async (className, bytes) => {
				const run = await deliverStorable(className, { body: bytes });
				expectInvalid(run, ['parse']);
				expect(run.invalid[0]).toMatchObject({ rawBodyEncoding: 'base64', rawBody: bytes.toString('base64') });
			}),
			{ numRuns: 500 },
		);
		const gzipped = await deliver(workflowCalls.node, { body: gzipSync(sampleText(workflowCalls.className)) });
		expect(gunzipSync(Buffer.from(gzipped.invalid[0].rawBody as string, 'base64')).toString()).toBe(sampleText(workflowCalls.className));
	});

	it('unexpected unicode (any code point, lone surrogates, a byte-order mark) → kept exactly on the main output', async () => {
		const oddities = ['\ud800', 'a\udfffb', '\u202eRTL', '\u0000', '\u2028', '🦄', '意愿'];
		const aText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom(...oddities));
		await fc.assert(
			fc.asyncProperty(aClassName, aText, fc.boolean(), async (className, text, withBom) => {
				const body = (withBom ? '\uFEFF' : '') + JSON.stringify({ ...triggerByClass(className).definition.sample, unexpected_text: text });
				const run = await deliverStorable(className, { body });
				expect(run.main.length).toBeGreaterThan(0);
				// Simplify decodes AIRudder's double-escaped "\\u610f", so text with backslashes may change.
				const expected = text.includes('\\') ? expect.any(String) : text;
				expect(run.main[0].unexpected_text).toEqual(expected);
			}),
			{ numRuns: 1000 },
		);
	});

	it('huge strings within the size limit → kept; bodies over the limit → 413 with a message naming the option', async () => {
		await fc.assert(
			fc.asyncProperty(aClassName, fc.integer({ min: 100_000, max: 3_000_000 }), async (className, length) => {
				const body = JSON.stringify({ ...triggerByClass(className).definition.sample, huge_text: 'x'.repeat(length) });
				const run = await deliverStorable(className, { body, parameters: { additionalOptions: { maxBodySizeMb: 2 } } });
				if (Buffer.byteLength(body) > 2 * 1024 * 1024) {
					expect(run.status).toBe(413);
					expect(run.result.workflowData).toBeUndefined();
					expect(run.responseBody).toEqual({ error: REFUSALS.bodyOverNodeLimit(Buffer.byteLength(body) / 1024 / 1024, 2) });
				} else {
					expect(run.main.length).toBeGreaterThan(0);
				}
			}),
			{ numRuns: 40 },
		);
	});

	it('details[] with up to 10 000 calls → one item per call, in order, each with the columns of a single call', async () => {
		const [fixture] = workflowCalls.fixtures;
		const callback = JSON.parse(fixture.body) as IDataObject & { details: Array<IDataObject & { question_answer: unknown[] }> };
		const [call] = callback.details;
		// One answer instead of eight keeps 10 000 calls within the default Max Body Size; the
		// question_answer column stays.
		const shortCall = { ...call, question_answer: call.question_answer.slice(0, 1) };
		const singleCallColumns = Object.keys(fixture.expected[0] as IDataObject);
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 1, max: 1_000 }), async (count) => {
				const callIds = Array.from({ length: count }, (_, index) => `call-${index}`);
				const details = callIds.map((call_id) => ({ ...shortCall, call_id }));
				const run = await deliverStorable(workflowCalls.className, { body: JSON.stringify({ ...callback, details }) });
				expect(run.main.map((item) => item.call_id)).toEqual(callIds);
				for (const item of run.main) expect(Object.keys(item)).toEqual(singleCallColumns);
			}),
			{ numRuns: 12, examples: [[10_000]] },
		);
	});
});
