/**
 * The promise: a forged callback never reaches the main output. Each property below starts from
 * a genuine callback (any trigger, plain or AES-encrypted, signed by any keyed scheme over the
 * raw or the decrypted body) and breaks exactly one thing an attacker could control. fast-check
 * generates 10 000 cases per run; a failure prints the seed and the smallest breaking case.
 */
import fc from 'fast-check';
import { BlockList } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { encryptAirudder } from '../nodes/Airudder/crypto';
import { REFUSALS } from '../nodes/Airudder/receive/refusals';
import { signatureOf, TESTED_SCHEMES, type TestedScheme } from './helpers/signing.cjs';
import { sampleStampedAt, triggerByClass, triggersUnderTest, type TriggerUnderTest } from './helpers/triggers.cjs';
import { deliver, type CallbackRequest, type WebhookRun } from './helpers/webhook.cjs';

const triggers = triggersUnderTest();

const SIGNING_KEY = 'the-real-signing-key-0451';
const AES_KEY = 'k3y-of-16-bytes!';
const URL_TOKEN = 'the-real-url-token-7731';
const SECRET_VALUES = [SIGNING_KEY, AES_KEY, URL_TOKEN];
const HEADER = 'X-AIRudder-Sign';

type KeyedScheme = Exclude<TestedScheme, 'sha256Hex'>;
const KEYED_SCHEMES = TESTED_SCHEMES.filter((scheme): scheme is KeyedScheme => scheme !== 'sha256Hex');

/** Named by class, so a failing case prints short. */
interface Genuine {
	className: string;
	scheme: KeyedScheme;
	signedContent: 'raw' | 'decrypted';
	encrypt: boolean;
}

const triggerOf = (genuine: Genuine): TriggerUnderTest => triggerByClass(genuine.className);

interface Attempt extends CallbackRequest {
	body: string;
	headers: Record<string, string>;
	query: Record<string, string>;
}

const aGenuineCallback: fc.Arbitrary<Genuine> = fc.record({
	className: fc.constantFrom(...triggers.map(({ className }) => className)),
	scheme: fc.constantFrom(...KEYED_SCHEMES),
	signedContent: fc.constantFrom('raw' as const, 'decrypted' as const),
	encrypt: fc.boolean(),
});

/** The request AIRudder itself would send for this callback, with every check configured. */
function requestFor(genuine: Genuine, payload: IDataObject = triggerOf(genuine).definition.sample): Attempt {
	const plaintext = JSON.stringify(payload);
	const body = genuine.encrypt ? encryptAirudder(plaintext, AES_KEY) : plaintext;
	const signed = genuine.signedContent === 'decrypted' ? plaintext : body;
	return {
		body,
		headers: {
			...(genuine.encrypt ? { 'Is-Encrypted': '1' } : {}),
			[HEADER]: signatureOf(genuine.scheme, signed, SIGNING_KEY),
		},
		query: { token: URL_TOKEN },
		ip: '203.0.113.7',
		secrets: {
			signatureScheme: genuine.scheme,
			signingSecret: SIGNING_KEY,
			signatureHeader: HEADER,
			signedContent: genuine.signedContent,
			aesSecretKey: AES_KEY,
			urlToken: URL_TOKEN,
			replayWindowSeconds: 0,
		},
		parameters: { allowedIps: '203.0.113.0/24, 2001:db8::/32' },
	};
}

function expectNoSecrets(run: WebhookRun) {
	const everythingSent = JSON.stringify([run.responseBody, run.result]);
	for (const secret of SECRET_VALUES) expect(everythingSent).not.toContain(secret);
}

/** Refused with `status`, and, where one check alone can refuse the attack, with that check's reason. */
function expectRefused(run: WebhookRun, status: number, reason: unknown = expect.any(String)) {
	expect({ status: run.status, workflowData: run.result.workflowData }).toEqual({ status, workflowData: undefined });
	expect(run.responseBody).toEqual({ error: reason });
	expectNoSecrets(run);
}

/** Quick cases: each node run is a fraction of a millisecond. */
const runs = (numRuns: number) => ({ numRuns });

describe('the attack suite (10 000 generated cases)', () => {
	it('accepts every genuine callback, so each refusal below is caused by the attack alone', async () => {
		await fc.assert(
			fc.asyncProperty(aGenuineCallback, async (genuine) => {
				const run = await deliver(triggerOf(genuine).node, requestFor(genuine));
				expect(run.main.length).toBeGreaterThan(0);
				expectNoSecrets(run);
			}),
			runs(500),
		);
	});

	it('refuses a tampered body: any byte changed, removed or added', async () => {
		const aTampering = fc.record({
			position: fc.nat(),
			action: fc.constantFrom('replace' as const, 'remove' as const, 'insert' as const),
			byte: fc.integer({ min: 0x20, max: 0x7e }),
		});
		await fc.assert(
			fc.asyncProperty(aGenuineCallback, aTampering, async (genuine, { position, action, byte }) => {
				const attempt = requestFor(genuine);
				const at = position % attempt.body.length;
				const char = String.fromCharCode(byte);
				const tampered =
					action === 'remove'
						? attempt.body.slice(0, at) + attempt.body.slice(at + 1)
						: attempt.body.slice(0, at) + char + attempt.body.slice(at + (action === 'replace' ? 1 : 0));
				fc.pre(tampered !== attempt.body);
				const run = await deliver(triggerOf(genuine).node, { ...attempt, body: tampered });
				if (run.status === undefined && genuine.signedContent === 'decrypted') {
					// Signed over the decrypted body, a change that decrypts to the same body (base64
					// whitespace) is the genuine callback, and nothing else may be accepted.
					const original = await deliver(triggerOf(genuine).node, attempt);
					expect(run.main).toEqual(original.main);
				} else {
					expectRefused(run, 401);
				}
			}),
			runs(2500),
		);
	});

	it('refuses signatures of the wrong key or scheme, truncated, or in another case or encoding', async () => {
		const aForgery = fc.oneof(
			fc.string({ minLength: 1 }).filter((key) => key !== SIGNING_KEY).map((key) => ({ kind: 'wrong key', key })),
			fc.constantFrom(...TESTED_SCHEMES).map((scheme) => ({ kind: 'wrong scheme', scheme })),
			fc.nat().map((length) => ({ kind: 'truncated', length })),
			fc.constant({ kind: 'upper case' }),
			fc.constant({ kind: 'other encoding' }),
			fc.string({ minLength: 1 }).map((text) => ({ kind: 'garbage', text })),
		);
		await fc.assert(
			fc.asyncProperty(aGenuineCallback, aForgery, async (genuine, forgery) => {
				const attempt = requestFor(genuine);
				const real = attempt.headers[HEADER];
				const signed = Buffer.from(genuine.signedContent === 'decrypted' ? JSON.stringify(triggerOf(genuine).definition.sample) : attempt.body);
				const isHex = /^[0-9a-f]+$/.test(real);
				const forged: Record<string, () => string> = {
					'wrong key': () => signatureOf(genuine.scheme, signed, (forgery as { key: string }).key),
					'wrong scheme': () => signatureOf((forgery as { scheme: TestedScheme }).scheme, signed, SIGNING_KEY),
					truncated: () => real.slice(0, (forgery as { length: number }).length % real.length),
					'upper case': () => real.toUpperCase(),
					'other encoding': () => Buffer.from(real, isHex ? 'hex' : 'base64').toString(isHex ? 'base64' : 'hex'),
					garbage: () => (forgery as { text: string }).text,
				};
				const signature = forged[forgery.kind]();
				fc.pre(signature.trim() !== real && signature.trim() !== '');
				const run = await deliver(triggerOf(genuine).node, { ...attempt, headers: { ...attempt.headers, [HEADER]: signature } });
				expectRefused(run, 401, REFUSALS.wrongSignature);
			}),
			runs(2500),
		);
	});

	it('refuses a missing, wrong or misplaced URL token', async () => {
		const aBadToken = fc.oneof(
			fc.constant({ query: {} as Record<string, string>, headers: {} }),
			fc.string().filter((token) => token !== URL_TOKEN).map((token) => ({ query: { token }, headers: {} })),
			fc.nat({ max: URL_TOKEN.length - 1 }).map((length) => ({ query: { token: URL_TOKEN.slice(0, length) }, headers: {} })),
			fc.constant({ query: { token: URL_TOKEN.toUpperCase() }, headers: {} }),
			fc.constant({ query: { Token: URL_TOKEN }, headers: {} }),
			fc.constant({ query: {}, headers: { token: URL_TOKEN, authorization: `Bearer ${URL_TOKEN}` } }),
		);
		await fc.assert(
			fc.asyncProperty(aGenuineCallback, aBadToken, async (genuine, bad) => {
				const attempt = requestFor(genuine);
				const run = await deliver(triggerOf(genuine).node, { ...attempt, query: bad.query, headers: { ...attempt.headers, ...bad.headers } });
				expectRefused(run, 401, REFUSALS.wrongToken);
			}),
			runs(1500),
		);
	});

	it('refuses disallowed addresses, whatever X-Forwarded-For, X-Real-IP or Forwarded claim', async () => {
		// An independent judge of membership: Node's own BlockList, not our parser.
		const allowed = new BlockList();
		allowed.addSubnet('203.0.113.0', 24, 'ipv4');
		allowed.addSubnet('2001:db8::', 32, 'ipv6');
		const isAllowed = (ip: string) => (ip.includes(':') ? allowed.check(ip, 'ipv6') : allowed.check(ip, 'ipv4'));
		const aDisallowedIp = fc
			.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4().map((ip) => `::ffff:${ip}`))
			.filter((ip) => {
				const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
				return !isAllowed(mapped ? mapped[1] : ip);
			});
		await fc.assert(
			fc.asyncProperty(aGenuineCallback, aDisallowedIp, async (genuine, ip) => {
				const attempt = requestFor(genuine);
				const spoofed = { 'X-Forwarded-For': '203.0.113.7', 'X-Real-IP': '203.0.113.7', Forwarded: 'for=203.0.113.7' };
				const run = await deliver(triggerOf(genuine).node, { ...attempt, ip, headers: { ...attempt.headers, ...spoofed } });
				expectRefused(run, 403, REFUSALS.ipNotAllowed);
			}),
			runs(1500),
		);
	});

	it('refuses a genuinely signed callback replayed outside the replay window, in seconds or milliseconds', async () => {
		const timestamped = triggers.filter(({ definition }) => definition.timestampField).map(({ className }) => className);
		expect(timestamped.length).toBeGreaterThan(0);
		const aReplay = fc.record({
			className: fc.constantFrom(...timestamped),
			windowSeconds: fc.integer({ min: 1, max: 86_400 }),
			beyondBySeconds: fc.integer({ min: 5, max: 10 * 365 * 86_400 }),
			fromTheFuture: fc.boolean(),
			inMilliseconds: fc.boolean(),
		});
		await fc.assert(
			fc.asyncProperty(aGenuineCallback, aReplay, async (genuine, replay) => {
				const offset = (replay.windowSeconds + replay.beyondBySeconds) * (replay.fromTheFuture ? 1 : -1);
				const sentAt = Math.floor(Date.now() / 1000) + offset;
				const callback = { ...genuine, className: replay.className };
				const payload = sampleStampedAt(triggerOf(callback).definition, replay.inMilliseconds ? sentAt * 1000 : sentAt);
				const attempt = requestFor(callback, payload);
				const run = await deliver(triggerOf(callback).node, {
					...attempt,
					secrets: { ...attempt.secrets, replayWindowSeconds: replay.windowSeconds },
				});
				expectRefused(run, 403);
			}),
			runs(1000),
		);
	});

	it('keeps every secret out of what it answers and what it outputs, even for broken callbacks', async () => {
		const aBreakage = fc.oneof(
			fc.string().map((body) => ({ body, headers: { 'Is-Encrypted': '1' } })),
			fc.string().map((body) => ({ body, headers: {} as Record<string, string> })),
			fc.constant({ body: encryptAirudder('{"not": "json"', AES_KEY), headers: { 'Is-Encrypted': '1' } }),
		);
		await fc.assert(
			fc.asyncProperty(aGenuineCallback, aBreakage, async (genuine, broken) => {
				const attempt = requestFor(genuine);
				const run = await deliver(triggerOf(genuine).node, {
					...attempt,
					body: broken.body,
					headers: { ...broken.headers, [HEADER]: signatureOf(genuine.scheme, broken.body, SIGNING_KEY) },
					secrets: { ...attempt.secrets, signedContent: 'raw' },
				});
				expect(run.status ?? 200).toBeLessThan(500);
				expectNoSecrets(run);
			}),
			runs(1000),
		);
	});
});

describe('comparisons of secrets', () => {
	afterEach(() => jest.restoreAllMocks());

	it.each([
		['a signature', { headers: { [HEADER]: 'f'.repeat(64) }, query: {}, secrets: { urlToken: '' } }, REFUSALS.wrongSignature],
		['a URL token', { headers: {}, query: { token: 'guess' }, secrets: { signatureScheme: 'none' } }, REFUSALS.wrongToken],
	])('compare %s in constant time with crypto.timingSafeEqual', async (_what, change, reason) => {
		// The module object itself, which the node's compiled code calls into.
		const timingSafeEqual = jest.spyOn(require('crypto') as typeof import('crypto'), 'timingSafeEqual');
		const genuine: Genuine = { className: 'AirudderWorkflowCallCompletedTrigger', scheme: 'hmacSha256Hex', signedContent: 'raw', encrypt: false };
		const attempt = requestFor(genuine);
		const run = await deliver(triggerOf(genuine).node, {
			...attempt,
			headers: { ...attempt.headers, ...change.headers },
			query: { ...attempt.query, ...change.query },
			secrets: { ...attempt.secrets, ...change.secrets },
		});
		expectRefused(run, 401, reason);
		expect(timingSafeEqual).toHaveBeenCalled();
	});
});
