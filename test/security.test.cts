import type { IDataObject } from 'n8n-workflow';

import { encryptAirudder, sha256Hex } from '../nodes/Airudder/crypto';
import { REFUSALS } from '../nodes/Airudder/receive/refusals';
import { SIGNED_SCHEMES } from '../nodes/Airudder/receive/signature';
import { signatureOf, TESTED_SCHEMES } from './helpers/signing.cjs';
import { activate, AES_KEY, deliver, encrypted, type CallbackRequest } from './helpers/webhook.cjs';
import { sampleStampedAt, triggerByClass, triggersUnderTest } from './helpers/triggers.cjs';

const { node, definition, fixtures } = triggerByClass('AirudderWorkflowCallCompletedTrigger');
const chatbot = triggerByClass('AirudderWorkflowChatbotSessionEndedTrigger');
const body = fixtures[0].body;
const SIGNING_KEY = 'our-own-signing-key';
const signedWith = (text: string) => signatureOf('hmacSha256Hex', text, SIGNING_KEY);

it('tests every signature scheme the credential offers', () => {
	expect([...TESTED_SCHEMES].sort()).toEqual([...SIGNED_SCHEMES].sort());
});

function expectRejected(run: Awaited<ReturnType<typeof deliver>>, status: number) {
	expect(run.status).toBe(status);
	expect(run.result).toEqual({ noWebhookResponse: true });
	expect(run.result.workflowData).toBeUndefined();
}

describe.each(TESTED_SCHEMES)('signature scheme %s', (scheme) => {
	const secrets = { signatureScheme: scheme, signingSecret: SIGNING_KEY };
	const sign = (text: string) => signatureOf(scheme, text, SIGNING_KEY);

	it('accepts a correctly signed Buffer body', async () => {
		const run = await deliver(node, { body: Buffer.from(body), headers: { 'X-AIRudder-Sign': sign(body) }, secrets });
		expect(run.main).toEqual(fixtures[0].expected);
	});

	it('accepts a correctly signed string body', async () => {
		const run = await deliver(node, { body, headers: { 'X-AIRudder-Sign': sign(body) }, secrets });
		expect(run.main).toEqual(fixtures[0].expected);
	});

	it('rejects a tampered body with 401 and starts nothing', async () => {
		const tampered = body.replace('"duration": 43', '"duration": 44');
		const run = await deliver(node, { body: Buffer.from(tampered), headers: { 'X-AIRudder-Sign': sign(body) }, secrets });
		expectRejected(run, 401);
		expect(run.responseBody).toEqual({ error: REFUSALS.wrongSignature });
	});

	it('rejects a missing signature header with 401, and tells a person testing by hand how to sign', async () => {
		const run = await deliver(node, { body, secrets });
		expectRejected(run, 401);
		expect(run.responseBody).toEqual({ error: REFUSALS.unsigned('X-AIRudder-Sign') });
	});

	it('rejects when the raw body is missing, rather than trusting re-serialised JSON', async () => {
		const run = await deliver(node, {
			body: null,
			parsedBody: JSON.parse(body),
			headers: { 'X-AIRudder-Sign': sign(JSON.stringify(JSON.parse(body))) },
			secrets,
		});
		expectRejected(run, 401);
	});

	it('rejects the signature in another case or truncated', async () => {
		const signature = sign(body);
		for (const wrong of [signature.toUpperCase(), signature.slice(0, -2)]) {
			expect(wrong).not.toBe(signature);
			expectRejected(await deliver(node, { body, headers: { 'X-AIRudder-Sign': wrong }, secrets }), 401);
		}
	});

	it('reads the signature from a custom header name', async () => {
		const custom = { ...secrets, signatureHeader: 'X-Custom-Sign' };
		const run = await deliver(node, { body, headers: { 'X-Custom-Sign': sign(body) }, secrets: custom });
		expect(run.main).toHaveLength(1);
	});
});

describe('signature over the decrypted body', () => {
	const secrets = { signatureScheme: 'hmacSha256Hex', signingSecret: SIGNING_KEY, signedContent: 'decrypted' };

	it('accepts an encrypted callback signed over its plaintext', async () => {
		const request = encrypted(body);
		const run = await deliver(node, { ...request, headers: { ...request.headers, 'X-AIRudder-Sign': signedWith(body) }, secrets });
		expect(run.main).toEqual(fixtures[0].expected);
	});

	it('rejects when the body cannot be decrypted, since the signature cannot be checked', async () => {
		const request = encrypted(body, 'another-key-16by');
		const run = await deliver(node, { ...request, headers: { ...request.headers, 'X-AIRudder-Sign': signedWith(body) }, secrets: { ...secrets, aesSecretKey: '' } });
		expectRejected(run, 401);
	});
});

describe('a trigger that checks nothing: no signature, no URL token, every address allowed', () => {
	const open = { signatureScheme: 'none', urlToken: '' };

	it('refuses every callback to the Production URL with 401, a sentence naming the three ways to fix it, and no execution', async () => {
		const run = await deliver(node, { body, secrets: open });
		expectRejected(run, 401);
		expect(run.responseBody).toEqual({ error: REFUSALS.checksNothing });
	});

	it('accepts the same callback once the credential has a URL token and the URL carries it', async () => {
		const run = await deliver(node, { body, secrets: { ...open, urlToken: 'now-set' }, query: { token: 'now-set' } });
		expect(run.main.length).toBeGreaterThan(0);
		expect(run.invalid).toEqual([]);
	});

	it('accepts it once Allowed IP Addresses names the sender', async () => {
		const run = await deliver(node, { body, secrets: open, ip: '203.0.113.10', parameters: { allowedIps: '203.0.113.0/24' } });
		expect(run.main.length).toBeGreaterThan(0);
	});

	it('still works while the editor listens, and says on the Invalid output that production will refuse it', async () => {
		const run = await deliver(node, { body, secrets: open, mode: 'manual' });
		expect(run.main).toEqual(fixtures[0].expected);
		expect(run.invalid).toEqual([
			expect.objectContaining({ stage: 'setup', reason: `${REFUSALS.checksNothing} ${REFUSALS.acceptedInTestRunOnly}`, rawBody: null }),
		]);
	});

	it('says so while the editor listens even when the filters keep no item', async () => {
		const run = await deliver(node, { body, secrets: open, mode: 'manual', parameters: { filters: { resultLabels: 'NO-SUCH-LABEL' } } });
		expect(run.status).toBe(200);
		expect(run.main).toEqual([]);
		expect(run.invalid).toEqual([expect.objectContaining({ stage: 'setup' })]);
	});
});

describe('URL token', () => {
	const secrets = { urlToken: 'a-long-random-url-token' };

	it('accepts a callback whose URL carries the token', async () => {
		const run = await deliver(node, { body, query: { token: 'a-long-random-url-token' }, secrets });
		expect(run.main).toHaveLength(1);
	});

	it.each([[{}], [{ token: 'wrong' }], [{ token: 'A-LONG-RANDOM-URL-TOKEN' }], [{ token: '' }]])(
		'rejects the query %j with 401, saying where the token belongs without revealing it',
		async (query) => {
			const run = await deliver(node, { body, query, secrets });
			expectRejected(run, 401);
			expect(run.responseBody).toEqual({ error: REFUSALS.wrongToken });
		},
	);
});

describe('IP allow-list', () => {
	const parameters = { allowedIps: '203.0.113.10, 198.51.100.0/24, 2001:db8::/32' };

	it.each(['203.0.113.10', '198.51.100.77', '::ffff:198.51.100.1', '2001:db8:1::5'])('accepts %s', async (ip) => {
		const run = await deliver(node, { body, ip, parameters });
		expect(run.main).toHaveLength(1);
	});

	it.each(['203.0.113.11', '10.0.0.1', '2001:db9::1', 'not-an-ip'])('rejects %s with 403, naming the setting to change', async (ip) => {
		const run = await deliver(node, { body, ip, parameters });
		expectRejected(run, 403);
		expect(run.responseBody).toEqual({ error: REFUSALS.ipNotAllowed });
	});

	it('ignores X-Forwarded-For and uses the address n8n resolved', async () => {
		const run = await deliver(node, { body, ip: '10.0.0.1', headers: { 'X-Forwarded-For': '203.0.113.10' }, parameters });
		expectRejected(run, 403);
	});

	it('refuses every callback, rather than admitting all, when the list is malformed', async () => {
		expectRejected(await deliver(node, { body, parameters: { allowedIps: '203.0.113.300' } }), 403);
	});
});

describe('replay window', () => {
	const session = JSON.parse(chatbot.fixtures[0].body) as IDataObject;
	const secrets = { replayWindowSeconds: 600 };
	const nowSeconds = () => Math.floor(Date.now() / 1000);

	it('accepts a callback whose timestamp is inside the window', async () => {
		const fresh = { ...session, timestamp: nowSeconds() - 300 };
		const run = await deliver(chatbot.node, { body: JSON.stringify(fresh), secrets });
		expect(run.main).toHaveLength(1);
	});

	it('rejects a replay older than the window with 403', async () => {
		const run = await deliver(chatbot.node, { body: JSON.stringify(session), secrets });
		expectRejected(run, 403);
		expect(run.responseBody).toEqual({
			error:
				REFUSALS.outsideReplayWindow(600),
		});
	});

	it('also understands millisecond timestamps', async () => {
		const stale = { ...session, timestamp: Date.now() - 3_600_000 };
		expectRejected(await deliver(chatbot.node, { body: JSON.stringify(stale), secrets }), 403);
	});

	it('reads a wrapped callback’s timestamp inside it: a predictive-dialer event', async () => {
		const dialer = triggerByClass('AirudderPredictiveDialerTrigger');
		const fresh = sampleStampedAt(dialer.definition, Date.now() - 60_000);
		expect((await deliver(dialer.node, { body: JSON.stringify(fresh), secrets })).main).toHaveLength(1);
		const stale = sampleStampedAt(dialer.definition, Date.now() - 3_600_000);
		expectRejected(await deliver(dialer.node, { body: JSON.stringify(stale), secrets }), 403);
	});

	it('lets a callback of a timestamped type through when it has no timestamp', async () => {
		const { timestamp: _timestamp, ...unstamped } = session;
		expect((await deliver(chatbot.node, { body: JSON.stringify(unstamped), secrets })).main).toHaveLength(1);
	});

	it('does not apply to a callback type that carries no timestamp, whatever its body holds', async () => {
		expect(definition.timestampField).toBeUndefined();
		const stale = { ...JSON.parse(body), timestamp: nowSeconds() - 86_400 };
		expect((await deliver(node, { body: JSON.stringify(stale), secrets })).main).toHaveLength(1);
	});

	it.each(triggersUnderTest().filter(({ definition }) => definition.timestampField))(
		'applies to $className, whose callbacks carry a timestamp',
		async ({ node, definition }) => {
			const stale = sampleStampedAt(definition, nowSeconds() - 3_600);
			expectRejected(await deliver(node, { body: JSON.stringify(stale), secrets }), 403);
		},
	);

	it.each(triggersUnderTest().filter(({ definition }) => !definition.timestampField))(
		'does not apply to $className, whose callbacks carry no timestamp',
		async ({ node, definition }) => {
			const stale = { ...definition.sample, timestamp: nowSeconds() - 86_400 };
			const run = await deliver(node, { body: JSON.stringify(stale), secrets });
			expect(run.status).toBeUndefined();
			expect(run.main.length).toBeGreaterThan(0);
		},
	);
});

describe('the "Invalid" output: genuine but unreadable callbacks are answered 200 and kept', () => {
	function expectInvalid(run: Awaited<ReturnType<typeof deliver>>, stage: string, reason: RegExp) {
		expect(run.status).toBeUndefined();
		expect(run.main).toEqual([]);
		expect(run.invalid).toHaveLength(1);
		expect(run.invalid[0].stage).toBe(stage);
		expect(run.invalid[0].reason).toMatch(reason);
		return run.invalid[0];
	}

	it('keeps a body that is not JSON, verbatim', async () => {
		const item = expectInvalid(await deliver(node, { body: '{"workflow_id": "x", ' }), 'parse', /not valid JSON/);
		expect(item.rawBody).toBe('{"workflow_id": "x", ');
		expect(item.rawBodyEncoding).toBe('utf8');
	});

	it('keeps a body encrypted with another AES key, and says the key is probably wrong', async () => {
		const request = encrypted(body, 'not-the-real-key');
		const item = expectInvalid(await deliver(node, request), 'integrity', /AES Key is probably wrong/);
		expect(item.rawBody).toBe(request.body.toString());
		expect(item.encrypted).toBe(true);
	});

	it('says the same when a wrongly decrypted body has no "Signed" header', async () => {
		const run = await deliver(node, { body: Buffer.from(encryptAirudder(body, 'not-the-real-key')), headers: { 'Is-Encrypted': '1' } });
		expectInvalid(run, 'parse', /AES Key is probably wrong/);
	});

	it('keeps an encrypted body when the credential has no AES key', async () => {
		expectInvalid(await deliver(node, { ...encrypted(body), secrets: { aesSecretKey: '' } }), 'decrypt', /no AES Key/);
	});

	it('keeps a body that claims to be encrypted but is not base64', async () => {
		const run = await deliver(node, { body: 'plain text!', headers: { 'Is-Encrypted': '1' } });
		expectInvalid(run, 'decrypt', /not valid base64/);
	});

	it('keeps a callback that does not match the schema, with the parsed body and the reasons in plain words', async () => {
		const payload = { ...JSON.parse(body), details: 'not a list' };
		const item = expectInvalid(await deliver(node, { body: JSON.stringify(payload) }), 'validate', /^details is "not a list"/);
		expect(item.reason).toBe('details is "not a list": AIRudder should send a list of calls.');
		expect(item.body).toEqual(payload);
	});

	it('keeps a body with a "Signed" header that does not match', async () => {
		const run = await deliver(node, { body, headers: { Signed: sha256Hex('something else') } });
		expectInvalid(run, 'integrity', /changed or damaged/);
	});

	it('keeps binary bodies as base64', async () => {
		const binary = Buffer.from([0xff, 0xfe, 0x00, 0x81]);
		const item = expectInvalid(await deliver(node, { body: binary }), 'parse', /not UTF-8/);
		expect(item).toMatchObject({ rawBody: binary.toString('base64'), rawBodyEncoding: 'base64' });
	});

	it('strips a UTF-8 byte-order mark instead of failing on it', async () => {
		const run = await deliver(node, { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]) });
		expect(run.main).toEqual(fixtures[0].expected);
	});
});

describe('reading the body', () => {
	it('answers 413 with the n8n setting to raise when the body is over n8n’s size limit', async () => {
		const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large' });
		const run = await deliver(node, { body, readError: tooLarge });
		expectRejected(run, 413);
		expect(run.responseBody).toEqual({ error: REFUSALS.bodyTooLarge });
	});

	it('answers 400 when the client aborts the upload', async () => {
		const aborted = Object.assign(new Error('request aborted'), { type: 'request.aborted' });
		expectRejected(await deliver(node, { body, readError: aborted }), 400);
	});
});

describe('while the editor listens for a test event, a refused callback also shows why', () => {
	const TOKEN = 'url-token-secret-value';
	const secrets = { signatureScheme: 'hmacSha256Hex', signingSecret: SIGNING_KEY, urlToken: TOKEN, aesSecretKey: AES_KEY };
	const signed = { body, headers: { 'X-AIRudder-Sign': signedWith(body) }, query: { token: TOKEN } };

	it.each<[string, 401 | 403, CallbackRequest]>([
		['ip', 403, { ...signed, ip: '10.0.0.1', parameters: { allowedIps: '203.0.113.10' } }],
		['token', 401, { ...signed, query: { token: 'wrong' } }],
		['signature', 401, { ...signed, headers: { 'X-AIRudder-Sign': signedWith('another body') } }],
		['signature', 401, { ...signed, headers: {} }],
	])('stage %s: still answered %i, and the test run gets one Invalid item with the reason', async (stage, status, request) => {
		const run = await deliver(node, { ...request, secrets, mode: 'manual' });
		expect(run.status).toBe(status);
		expect(run.result.noWebhookResponse).toBe(true);
		expect(run.main).toEqual([]);
		expect(run.invalid).toEqual([
			expect.objectContaining({
				stage,
				reason: `${(run.responseBody as { error: string }).error} ${REFUSALS.onlyInTestRuns(status)}`,
				callbackType: definition.displayName,
				senderIp: 'ip' in request ? request.ip : '127.0.0.1',
			}),
		]);
	});

	it('keeps none of the request a stranger controls beyond its headers, and no secret: no body, token, signature or key', async () => {
		const planted = JSON.stringify({ ...JSON.parse(body), planted_by_a_stranger: 'this must not reach the test run' });
		const forgedSignature = signedWith('another body');
		const run = await deliver(node, {
			body: planted,
			headers: { 'X-AIRudder-Sign': forgedSignature, Authorization: 'Bearer hunter2' },
			query: { token: TOKEN },
			secrets,
			mode: 'manual',
		});
		const [item] = run.invalid;
		expect(item).toMatchObject({ stage: 'signature', body: null, rawBody: null, decryptedBody: null, validationIssues: null });
		const output = JSON.stringify(item);
		for (const secret of ['planted_by_a_stranger', TOKEN, SIGNING_KEY, AES_KEY, forgedSignature, 'hunter2']) {
			expect(output).not.toContain(secret);
		}
	});

	it('a refused callback to the Production URL starts nothing, as before', async () => {
		expectRejected(await deliver(node, { ...signed, query: { token: 'wrong' }, secrets, mode: 'webhook' }), 401);
	});

	it('a refusal of n8n’s own, such as a body over its size limit, shows too', async () => {
		const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large' });
		const run = await deliver(node, { body, readError: tooLarge, mode: 'manual' });
		expect(run.status).toBe(413);
		expect(run.invalid).toEqual([expect.objectContaining({ stage: 'size', reason: expect.stringContaining(REFUSALS.bodyTooLarge) })]);
	});
});

describe('secrets never leave the node', () => {
	const secrets = {
		signatureScheme: 'hmacSha256Hex',
		signingSecret: SIGNING_KEY,
		urlToken: 'url-token-secret-value',
		aesSecretKey: AES_KEY,
	};

	it('are absent from the Invalid item, its headers and the rejection messages', async () => {
		const request = encrypted(body, 'not-the-real-key');
		const signature = signatureOf('hmacSha256Hex', request.body, SIGNING_KEY);
		const run = await deliver(node, {
			...request,
			headers: { ...request.headers, 'X-AIRudder-Sign': signature, Authorization: 'Bearer hunter2', Cookie: 'sid=1' },
			query: { token: 'url-token-secret-value' },
			secrets,
		});
		const output = JSON.stringify(run.invalid);
		expect(run.invalid).toHaveLength(1);
		for (const secret of [SIGNING_KEY, 'url-token-secret-value', AES_KEY, signature, 'hunter2', 'sid=1']) {
			expect(output).not.toContain(secret);
		}
		const rejected = await deliver(node, { body, query: { token: 'nope' }, secrets });
		expect(JSON.stringify(rejected.responseBody)).not.toContain('url-token-secret-value');
	});
});

describe('activation checks the settings and explains mistakes', () => {
	it('activates with valid settings', async () => {
		await expect(activate(node, { parameters: { allowedIps: '203.0.113.0/24' } })).resolves.toBe(true);
	});

	it.each([
		[{ parameters: { allowedIps: '203.0.113.0/33' } }, /invalid prefix length/],
		[{ parameters: { allowedIps: 'example.com' } }, /not an IP address/],
		[{ secrets: { aesSecretKey: 'too-short' } }, /must be exactly 16, 24 or 32/],
		[{ secrets: { signatureScheme: 'hmacSha256Hex', signingSecret: '' } }, /needs a Signing Key/],
		[{ parameters: { additionalOptions: { accountTimeZone: 'Mars/Olympus' } } }, /"Mars\/Olympus" is not a time zone/],
	])('refuses %j', async (settings, message) => {
		await expect(activate(node, settings)).rejects.toThrow(message);
	});
});
