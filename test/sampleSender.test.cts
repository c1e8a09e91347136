/**
 * `npm run send-sample` must post what AIRudder posts, so that a workflow tried with it behaves as
 * it will with AIRudder: every combination it can send is accepted by the node it targets.
 */
import { buildCallbackRequest, DEMO_SECRETS, withToken } from '../scripts/lib/callbackRequest';
import { SIGNATURE_SCHEMES } from '../nodes/Airudder/receive/signature';
import { triggersUnderTest } from './helpers/triggers.cjs';
import { deliver } from './helpers/webhook.cjs';

const SCHEMES = Object.keys(SIGNATURE_SCHEMES);

describe.each(triggersUnderTest())('sample sender → $className', ({ node, definition }) => {
	const sample = JSON.stringify(definition.sample, null, 2);

	it.each(SCHEMES.flatMap((scheme) => [[scheme, false], [scheme, true]] as const))(
		'is accepted with signature scheme %s, encrypted: %s, as the plain sample is',
		async (scheme, encrypt) => {
			const secrets = { ...DEMO_SECRETS, signatureScheme: scheme };
			const request = buildCallbackRequest(sample, {
				encrypt,
				aesKey: DEMO_SECRETS.aesSecretKey,
				scheme,
				signingKey: DEMO_SECRETS.signingSecret,
				signatureHeader: DEMO_SECRETS.signatureHeader,
			});
			const run = await deliver(node, {
				body: request.body,
				headers: request.headers,
				query: { token: DEMO_SECRETS.urlToken },
				secrets,
			});
			expect(run.status).toBeUndefined();
			expect(run.invalid).toEqual([]);
			expect(run.main).toEqual((await deliver(node, { body: sample })).main);
			expect(run.main.length).toBeGreaterThan(0);
		},
	);

	it('signs the decrypted body when asked to, for credentials set to "decrypted body"', async () => {
		const request = buildCallbackRequest(sample, {
			encrypt: true,
			scheme: 'hmacSha256Hex',
			signingKey: DEMO_SECRETS.signingSecret,
			signedContent: 'decrypted',
		});
		const run = await deliver(node, {
			body: request.body,
			headers: request.headers,
			query: { token: DEMO_SECRETS.urlToken },
			secrets: { ...DEMO_SECRETS, signedContent: 'decrypted' },
		});
		expect(run.status).toBeUndefined();
		expect(run.main.length).toBeGreaterThan(0);
	});
});

describe('sample sender options', () => {
	it('puts the URL token in the query string, replacing one already there', () => {
		expect(withToken('http://127.0.0.1:5678/webhook/x/y?token=old', 'new')).toBe('http://127.0.0.1:5678/webhook/x/y?token=new');
		expect(withToken('http://127.0.0.1:5678/webhook/x/y', '')).toBe('http://127.0.0.1:5678/webhook/x/y');
	});

	it('sends AIRudder’s headers, and the encryption headers only when encrypting', () => {
		const plain = buildCallbackRequest('{}', { scheme: 'none' });
		expect(plain).toEqual({ body: '{}', headers: { 'Content-Type': 'application/json', 'User-Agent': 'Airudder' } });
		const sealed = buildCallbackRequest('{}', { encrypt: true, scheme: 'none' });
		expect(sealed.headers).toMatchObject({ 'Is-Encrypted': '1', Signed: expect.stringMatching(/^[0-9a-f]{64}$/) });
		expect(sealed.body).not.toBe('{}');
	});

	it('refuses a signature scheme it does not know, naming the ones it does', () => {
		expect(() => buildCallbackRequest('{}', { scheme: 'md5' })).toThrow(/Choose one of: none, sha256Hex/);
	});
});
