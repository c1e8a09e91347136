import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { CallbackBody, IncomingCallback } from '../nodes/Airudder/receive/callbackRequest';
import { readCallbackSecrets } from '../nodes/Airudder/receive/callbackCredential';
import { encryptAirudder, sha256Hex } from '../nodes/Airudder/crypto';
import { allowsEveryAddress, parseIpAllowList } from '../nodes/Airudder/receive/ipAllowList';
import { receiveCallback, type ReceiveRules } from '../nodes/Airudder/receive/pipeline';
import { REFUSALS } from '../nodes/Airudder/receive/refusals';

import { namedAsInItems, triggerByClass } from './helpers/triggers.cjs';
import { AES_KEY, DEFAULT_SECRETS, URL_TOKEN } from './helpers/webhook.cjs';

/**
 * The receiving pipeline as one piece: the order of its checks, what each kind of result carries,
 * and that it runs the same on a body stored earlier as on a live request.
 */

const { definition } = triggerByClass('AirudderWorkflowCallCompletedTrigger');
const sampleText = JSON.stringify(definition.sample);

function incoming(body: CallbackBody | Error, changes: Partial<IncomingCallback> = {}): IncomingCallback & { bodyReads: number } {
	const callback = {
		headers: {},
		query: { token: URL_TOKEN },
		ip: '203.0.113.10',
		receivedAt: new Date('2024-03-11T05:30:00Z'),
		bodyReads: 0,
		readBody: async () => {
			callback.bodyReads += 1;
			if (body instanceof Error) throw body;
			return body;
		},
		...changes,
	};
	return callback;
}

function rules(credential: ICredentialDataDecryptedObject = {}, changes: Partial<ReceiveRules> = {}) {
	const counted = {
		sender: { allowList: parseIpAllowList(''), allowsAnyAddress: true },
		maxBodyMb: 16,
		testRun: false,
		credentialReads: 0,
		readSecrets: async () => {
			counted.credentialReads += 1;
			return readCallbackSecrets({ ...DEFAULT_SECRETS, ...credential });
		},
		...changes,
	};
	return counted;
}

const plain = (text = sampleText): CallbackBody => ({ rawBody: Buffer.from(text), parsedBody: undefined });

describe('the order of the checks', () => {
	it('turns a refused address away before the credential or the body is read', async () => {
		const callback = incoming(plain(), { ip: '198.51.100.7' });
		const counted = rules({}, { sender: { allowList: parseIpAllowList('203.0.113.0/24'), allowsAnyAddress: false } });
		expect(await receiveCallback(definition, callback, counted)).toEqual({
			kind: 'refused',
			status: 403,
			stage: 'ip',
			reason: REFUSALS.ipNotAllowed,
			invalidOutput: [],
		});
		expect(counted.credentialReads).toBe(0);
		expect(callback.bodyReads).toBe(0);
	});

	it('turns a wrong URL token away before the body is read', async () => {
		const callback = incoming(plain(), { query: { token: 'guess' } });
		expect(await receiveCallback(definition, callback, rules({ urlToken: 't0ken' }))).toMatchObject({ status: 401, stage: 'token' });
		expect(callback.bodyReads).toBe(0);
	});

	it('answers n8n’s body reader failing with 413 or 400, as the reader’s error says', async () => {
		const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large' });
		expect(await receiveCallback(definition, incoming(tooLarge), rules())).toMatchObject({ status: 413, reason: REFUSALS.bodyTooLarge });
		expect(await receiveCallback(definition, incoming(new Error('aborted')), rules())).toMatchObject({
			status: 400,
			reason: REFUSALS.bodyUnreadable,
		});
	});
});

describe('what a result carries', () => {
	it('a readable callback: its payload, and no mismatch', async () => {
		expect(await receiveCallback(definition, incoming(plain()), rules())).toEqual({ kind: 'valid', payload: namedAsInItems(definition.sample), invalidOutput: [] });
	});

	it('a refusal while the editor listens: an Invalid item saying why, without body, query or signature', async () => {
		const callback = incoming(plain(), {
			query: { token: 'guess' },
			headers: { 'x-airudder-sign': 'abc', 'user-agent': 'Airudder' },
		});
		const received = await receiveCallback(definition, callback, rules({ urlToken: 't0ken' }, { testRun: true }));
		expect(received).toMatchObject({ kind: 'refused', status: 401, stage: 'token' });
		expect(received.invalidOutput).toEqual([
			expect.objectContaining({
				reason: `${REFUSALS.wrongToken} ${REFUSALS.onlyInTestRuns(401)}`,
				stage: 'token',
				rawBody: null,
				headers: { 'user-agent': 'Airudder' },
			}),
		]);
	});

	it('a refused address while the editor listens: still an Invalid item, which hides the credential’s signature header', async () => {
		const callback = incoming(plain(), { ip: '198.51.100.7', headers: { 'x-custom-sign': 'abc' } });
		const received = await receiveCallback(
			definition,
			callback,
			rules({ signatureHeader: 'X-Custom-Sign' }, { sender: { allowList: parseIpAllowList('203.0.113.0/24'), allowsAnyAddress: false }, testRun: true }),
		);
		expect(received.invalidOutput).toEqual([expect.objectContaining({ stage: 'ip', senderIp: '198.51.100.7', headers: {} })]);
		expect(callback.bodyReads).toBe(0);
	});

	it('a refused address while the editor listens, without a credential: the Invalid item still says why', async () => {
		const callback = incoming(plain(), { ip: '198.51.100.7', headers: { 'x-airudder-sign': 'abc' } });
		const noCredential = async () => {
			throw new Error('Node does not have any credentials set');
		};
		const received = await receiveCallback(definition, callback, {
			...rules({}, { sender: { allowList: parseIpAllowList('203.0.113.0/24'), allowsAnyAddress: false }, testRun: true }),
			readSecrets: noCredential,
		});
		expect(received).toMatchObject({ kind: 'refused', status: 403, stage: 'ip' });
		expect(received.invalidOutput).toEqual([expect.objectContaining({ stage: 'ip', headers: {} })]);
	});
});

describe('a trigger that checks nothing', () => {
	const open = { urlToken: '', signatureScheme: 'none' };

	it('is refused on the Production URL, before the body is read', async () => {
		const callback = incoming(plain());
		expect(await receiveCallback(definition, callback, rules(open))).toEqual({
			kind: 'refused',
			status: 401,
			stage: 'setup',
			reason: REFUSALS.checksNothing,
			invalidOutput: [],
		});
		expect(callback.bodyReads).toBe(0);
	});

	it('is let through while the editor listens, with an Invalid item saying that production refuses it', async () => {
		const received = await receiveCallback(definition, incoming(plain()), rules(open, { testRun: true }));
		expect(received).toMatchObject({ kind: 'valid', payload: namedAsInItems(definition.sample) });
		expect(received.invalidOutput).toEqual([
			expect.objectContaining({
				stage: 'setup',
				reason: `${REFUSALS.checksNothing} ${REFUSALS.acceptedInTestRunOnly}`,
				rawBody: null,
			}),
		]);
	});

	it('says so beside the Invalid item of a callback it cannot read, while the editor listens', async () => {
		const received = await receiveCallback(definition, incoming(plain('not json')), rules(open, { testRun: true }));
		expect(received.kind).toBe('invalid');
		expect(received.invalidOutput.map(({ stage }) => stage)).toEqual(['parse', 'setup']);
	});

	it('counts a list that allows every address (0.0.0.0/0) as checking nothing', async () => {
		const everyone = { sender: { allowList: parseIpAllowList('0.0.0.0/0'), allowsAnyAddress: allowsEveryAddress('0.0.0.0/0') } };
		expect(await receiveCallback(definition, incoming(plain()), rules(open, everyone))).toMatchObject({ status: 401, stage: 'setup' });
		expect([allowsEveryAddress(''), allowsEveryAddress(' , '), allowsEveryAddress('::/0'), allowsEveryAddress('203.0.113.0/24')]).toEqual([
			true,
			true,
			true,
			false,
		]);
	});

	it('is accepted once the trigger lists the addresses it takes', async () => {
		const listed = { sender: { allowList: parseIpAllowList('203.0.113.0/24'), allowsAnyAddress: false } };
		expect(await receiveCallback(definition, incoming(plain()), rules(open, listed))).toEqual({
			kind: 'valid',
			payload: namedAsInItems(definition.sample),
			invalidOutput: [],
		});
	});
});

describe('a body stored earlier, received again', () => {
	const ciphertext = encryptAirudder(sampleText, AES_KEY);
	const headers = { 'is-encrypted': '1', signed: sha256Hex(sampleText) };

	it('gives the payload the live request would have given, once the credential is right', async () => {
		const live = await receiveCallback(definition, incoming(plain(ciphertext), { headers }), rules({ aesSecretKey: 'wrongwrongwrong!' }));
		expect(live.kind).toBe('invalid');
		const [invalidItem] = live.invalidOutput;
		expect(invalidItem).toMatchObject({ stage: 'integrity', rawBody: ciphertext, rawBodyEncoding: 'utf8', encrypted: true });

		const stored = incoming(plain(String(invalidItem.rawBody)), { headers: invalidItem.headers as IncomingCallback['headers'] });
		expect(await receiveCallback(definition, stored, rules())).toEqual({ kind: 'valid', payload: namedAsInItems(definition.sample), invalidOutput: [] });
	});
});
