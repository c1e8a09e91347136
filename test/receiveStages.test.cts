import { createHmac } from 'crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { readCallbackSecrets } from '../nodes/Airudder/receive/callbackCredential';
import { encryptAirudder, sha256Hex } from '../nodes/Airudder/crypto';
import { parseIpAllowList } from '../nodes/Airudder/receive/ipAllowList';
import { REFUSALS } from '../nodes/Airudder/receive/refusals';
import * as stages from '../nodes/Airudder/receive/stages';

import { AES_KEY, DEFAULT_SECRETS } from './helpers/webhook.cjs';
import { triggerByClass, triggersUnderTest } from './helpers/triggers.cjs';

/**
 * Each stage of receiving a callback, alone. How they compose is specified in
 * receivePipeline.test.cts, and through a real trigger in security.test.cts and callbacks.test.cts.
 */

const { definition } = triggerByClass('AirudderWorkflowCallCompletedTrigger');
const sampleText = JSON.stringify(definition.sample);

const secrets = (changes: ICredentialDataDecryptedObject = {}) => readCallbackSecrets({ ...DEFAULT_SECRETS, ...changes });

describe('Stage 1, checkSenderAddress and checkUrlToken: who may call', () => {
	it('refuses an address outside the allow-list with 403', () => {
		const refusal = stages.checkSenderAddress('198.51.100.7', { allowList: parseIpAllowList('203.0.113.0/24'), allowsAnyAddress: false });
		expect(refusal).toEqual({ kind: 'refused', status: 403, stage: 'ip', reason: REFUSALS.ipNotAllowed });
		expect(stages.checkSenderAddress('203.0.113.10', { allowList: parseIpAllowList('203.0.113.0/24'), allowsAnyAddress: false })).toBeUndefined();
	});

	it('refuses every address while the allow-list cannot be read, saying why', () => {
		expect(stages.checkSenderAddress('203.0.113.10', { problem: '"10.0.0.300" is not an address' })).toEqual({
			kind: 'refused',
			status: 403,
			stage: 'ip',
			reason: REFUSALS.allowListUnreadable('"10.0.0.300" is not an address'),
		});
	});

	it('refuses a missing or wrong URL token with 401, and lets the right one through', () => {
		const withToken = secrets({ urlToken: 't0ken' });
		expect(stages.checkUrlToken({}, withToken)).toMatchObject({ status: 401, stage: 'token', reason: REFUSALS.wrongToken });
		expect(stages.checkUrlToken({ token: 'wrong' }, withToken)).toMatchObject({ status: 401 });
		expect(stages.checkUrlToken({ token: 't0ken' }, withToken)).toBeUndefined();
		expect(stages.checkUrlToken({}, secrets({ urlToken: '' }))).toBeUndefined();
	});
});

describe('Stage 1, checkSomethingIsChecked: a trigger must check the address, a URL token or a signature', () => {
	const anyAddress = { allowList: parseIpAllowList(''), allowsAnyAddress: true };
	const listed = { allowList: parseIpAllowList('203.0.113.0/24'), allowsAnyAddress: false };

	it('refuses with 401 when it checks none of the three, naming the three ways to fix it', () => {
		expect(stages.checkSomethingIsChecked(anyAddress, secrets({ urlToken: '' }))).toEqual({
			kind: 'refused',
			status: 401,
			stage: 'setup',
			reason: REFUSALS.checksNothing,
		});
		expect(REFUSALS.checksNothing).toMatch(/URL Token.*Signature.*Allowed IP Addresses/);
	});

	it('lets any one of the three do', () => {
		expect(stages.checkSomethingIsChecked(listed, secrets({ urlToken: '' }))).toBeUndefined();
		expect(stages.checkSomethingIsChecked(anyAddress, secrets({ urlToken: 't0ken' }))).toBeUndefined();
		expect(stages.checkSomethingIsChecked(anyAddress, secrets({ urlToken: '', signatureScheme: 'sha256Hex' }))).toBeUndefined();
	});
});

describe('Stage 2, the body: read whole, within the size limits', () => {
	it('refuses a body over the trigger’s limit with 413, naming the option to change', () => {
		expect(stages.checkBodySize(Buffer.alloc(2 * 1024 * 1024), 1)).toEqual({
			kind: 'refused',
			status: 413,
			stage: 'size',
			reason: REFUSALS.bodyOverNodeLimit(2, 1),
		});
		expect(stages.checkBodySize(Buffer.alloc(1024 * 1024), 1)).toBeUndefined();
	});

	it('tells a body over n8n’s own limit from a connection that broke off', () => {
		expect(stages.bodyReadRefusal(Object.assign(new Error('too large'), { type: 'entity.too.large' }))).toEqual({
			kind: 'refused',
			status: 413,
			stage: 'size',
			reason: REFUSALS.bodyTooLarge,
		});
		expect(stages.bodyReadRefusal(new Error('aborted'))).toEqual({ kind: 'refused', status: 400, stage: 'read', reason: REFUSALS.bodyUnreadable });
	});
});

describe('Stage 3, verifySignature: over the bytes the credential names', () => {
	const keyed = secrets({ signatureScheme: 'hmacSha256Hex', signingSecret: 'shh' });
	const bytes = Buffer.from(sampleText);
	const signature = createHmac('sha256', 'shh').update(bytes).digest('hex');

	it('accepts a real HMAC-SHA256 of the body and refuses any other', () => {
		expect(stages.verifySignature({ 'x-airudder-sign': signature }, keyed, bytes, '')).toBeUndefined();
		expect(stages.verifySignature({ 'x-airudder-sign': signature.replace(/.$/, '0') }, keyed, Buffer.from(`${sampleText} `), '')).toMatchObject({
			status: 401,
			reason: REFUSALS.wrongSignature,
		});
	});

	it('refuses an unsigned callback with the way to send a signed one', () => {
		expect(stages.verifySignature({}, keyed, bytes, '')).toMatchObject({ status: 401, stage: 'signature', reason: REFUSALS.unsigned('X-AIRudder-Sign') });
	});

	it('says why it cannot check when there are no bytes', () => {
		const refusal = stages.verifySignature({ 'x-airudder-sign': signature }, keyed, undefined, 'the body could not be decrypted');
		expect(refusal).toMatchObject({ status: 401, reason: REFUSALS.uncheckable('the body could not be decrypted') });
	});
});

describe('Stage 4, decryptBody: AES bodies become the JSON AIRudder wrote', () => {
	const ciphertext = Buffer.from(encryptAirudder(sampleText, AES_KEY));

	it('decrypts a body that looks encrypted, or says so in its header', () => {
		expect(stages.decryptBody({}, ciphertext, AES_KEY)).toEqual({ encrypted: true, plaintext: Buffer.from(sampleText) });
		expect(stages.decryptBody({ 'is-encrypted': '1' }, ciphertext, AES_KEY).encrypted).toBe(true);
	});

	it('passes a plain JSON body through untouched', () => {
		expect(stages.decryptBody({}, Buffer.from(sampleText), AES_KEY)).toEqual({ encrypted: false, plaintext: Buffer.from(sampleText) });
	});

	it('names the missing AES Key instead of failing silently', () => {
		expect(stages.decryptBody({}, ciphertext, '').problem).toEqual({
			kind: 'unreadable',
			stage: 'decrypt',
			reasons: ['The callback is encrypted, but the credential has no AES Key.'],
		});
	});
});

describe('Stage 5, checkIntegrity: AIRudder’s "Signed" hash of the plaintext', () => {
	const plaintext = Buffer.from(sampleText);

	it('accepts a matching hash and reports a damaged body as unreadable, not as a forgery', () => {
		expect(stages.checkIntegrity({ signed: sha256Hex(plaintext) }, { encrypted: false, plaintext })).toBeUndefined();
		expect(stages.checkIntegrity({ signed: sha256Hex('other') }, { encrypted: true, plaintext })).toEqual({
			kind: 'unreadable',
			stage: 'integrity',
			reasons: ['The "Signed" header does not match the decrypted body: the AES Key is probably wrong.'],
		});
	});
});

describe('Stage 6, parsePayload: JSON within the depth n8n can store', () => {
	it('parses the plaintext', () => {
		expect(stages.parsePayload({ encrypted: false, plaintext: Buffer.from(sampleText) }, undefined)).toEqual({ kind: 'parsed', payload: definition.sample });
	});

	it('keeps the decrypted text of an encrypted body that is not JSON, for the Invalid output', () => {
		expect(stages.parsePayload({ encrypted: true, plaintext: Buffer.from('not json') }, undefined)).toEqual({
			kind: 'unreadable',
			stage: 'parse',
			reasons: ['The decrypted body is not JSON: the AES Key is probably wrong.'],
			details: { decryptedBody: 'not json' },
		});
	});

	it('refuses to pass on nesting n8n cannot serialise', () => {
		const deep = Buffer.from(`${'['.repeat(100)}${']'.repeat(100)}`);
		expect(stages.parsePayload({ encrypted: false, plaintext: deep }, undefined)).toMatchObject({ kind: 'unreadable', stage: 'parse' });
	});
});

describe('Stage 7, checkReplayWindow: only for callbacks stamped with their time', () => {
	const stamped = triggersUnderTest().find(({ definition: stampedDefinition }) => stampedDefinition.timestampField)!.definition;

	it('refuses a stamped callback from outside the window with 403', () => {
		const receivedAt = new Date('2024-03-11T05:30:00Z');
		const payload = { ...stamped.sample };
		const target = stamped.unwrap ? (payload[stamped.unwrap.field] = { ...(payload[stamped.unwrap.field] as object) }) : payload;
		(target as Record<string, unknown>)[stamped.timestampField!] = receivedAt.getTime() / 1000 - 3600;
		expect(stages.checkReplayWindow(stamped, payload, receivedAt, 600)).toEqual({
			kind: 'refused',
			status: 403,
			stage: 'replay',
			reason: REFUSALS.outsideReplayWindow(600),
		});
		expect(stages.checkReplayWindow(stamped, payload, receivedAt, 7200)).toBeUndefined();
	});

	it('lets every callback of a trigger without a timestamp through', () => {
		expect(definition.timestampField).toBeUndefined();
		expect(stages.checkReplayWindow(definition, definition.sample, new Date(), 1)).toBeUndefined();
	});
});

describe('Stage 8, validatePayload: the definition’s schema', () => {
	it('accepts the seed payload as valid', () => {
		expect(stages.validatePayload(definition, definition.sample)).toMatchObject({ kind: 'valid' });
	});

	it('explains a wrong shape in a sentence per problem, keeping the body', () => {
		const validation = stages.validatePayload(definition, { ...definition.sample, details: 'none' });
		expect(validation).toMatchObject({ kind: 'unreadable', stage: 'validate', details: { body: { details: 'none' } } });
		expect(validation.kind === 'unreadable' && validation.reasons[0]).toMatch(/^details /);
	});
});
