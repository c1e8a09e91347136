/**
 * The AIRudder API credential and the client every operation calls AIRudder with: sign-in, the
 * token n8n keeps and renews, AIRudder's encrypted scheme, and the sentences a user reads when
 * something is wrong. Against the local AIRudder API (scripts/lib/localAirudderApi.js), through
 * the node's Task → Get, with n8n's request helpers emulated (test/helpers/executeContext.cts).
 */
import { spawn } from 'child_process';
import { once } from 'events';
import type { IDataObject } from 'n8n-workflow';
import { join } from 'path';

import { AirudderApi } from '../credentials/AirudderApi.credentials';
import { encryptAirudder, sha256Hex } from '../nodes/Airudder/crypto';
import { readApiCredentials } from '../nodes/AirudderAction/transport/apiCredential';
import { signIn } from '../nodes/AirudderAction/transport/apiSignIn';
import { startLocalAirudderApi, type LocalAirudderApi, type LocalAirudderApiOptions } from '../scripts/lib/localAirudderApi';

import { executeContext, httpRequest, runNode, type Harness } from './helpers/executeContext.cjs';
import { triggerByClass } from './helpers/triggers.cjs';

const VECTOR = {
	key: 'airudderredduria',
	plaintext: 'TaskID=69f531a01a9df58aa6de2487be610abb',
	ciphertext: 'qbj8cnqKnqR66qDS49ib9ymU1mpMCyp8Dm0gS1VvmnEqTxPGSBzruAU1sapP+cye',
	signed: '6956d7af4c89b89f19f9ae0a8be4bcf12abe7c6ed893691733f3480ad3f3aabc',
};
const TASK_ID = '69f531a01a9df58aa6de2487be610abb';
const KEYS = { appKey: 'local-app-key', appSecret: 'local-app-secret' };
const task = JSON.parse(triggerByClass('AirudderTaskCallEndedTrigger').fixtures[0].body) as IDataObject;

let api: LocalAirudderApi;
async function serve(options: LocalAirudderApiOptions = {}): Promise<LocalAirudderApi> {
	api = await startLocalAirudderApi({ tasks: { [TASK_ID]: { ...task, task_id: TASK_ID } }, ...options });
	return api;
}
afterEach(async () => await api?.close());

function taskGet(credential: IDataObject = {}, parameters: IDataObject = {}): Harness {
	return executeContext({
		parameters: { resource: 'task', operation: 'get', taskId: TASK_ID, simplify: true, options: {}, ...parameters },
		credential: { ...KEYS, baseUrl: api.url, aesSecretKey: '', ...credential },
	});
}

describe('the credential', () => {
	const credential = new AirudderApi();

	it('keeps the token in a hidden, expirable field and sends it as "Authorization: Token …"', () => {
		expect(credential.properties.find((property) => property.name === 'sessionToken')).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
		expect(credential.authenticate.properties.headers).toEqual({ Authorization: '=Token {{$credentials.sessionToken}}' });
	});

	it('is tested by a real sign-in: n8n runs preAuthentication before the test request, which signs in again', () => {
		expect(credential.test.request).toMatchObject({ url: '/service/cloud/auth', method: 'POST' });
	});

	it('signs in with APPKey and APPSecret, and the headers AIRudder asks for', async () => {
		await serve();
		const token = await signIn(httpRequest, readApiCredentials({ ...KEYS, baseUrl: api.url }));
		const [request] = api.received.requests;
		expect(token).toMatch(/^[0-9a-f]{32}$/);
		expect(request.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'Airudder' });
		expect(JSON.parse(request.rawBody)).toEqual({ APPKey: KEYS.appKey, APPSecret: KEYS.appSecret });
	});

	it.each([['http' as const], ['code' as const]])('says what to fix when AIRudder refuses the App Key or Secret (refused as %s)', async (refuseWith) => {
		await serve({ refuseWith });
		const harness = taskGet({ appSecret: 'wrong-secret' });
		const failure = runNode(harness);
		await expect(failure).rejects.toThrow(/Copy the App Key and App Secret again from AIRudder/);
		await expect(failure).rejects.not.toThrow(/wrong-secret/);
	});

	it('says the Base URL is wrong when nothing AIRudder-like answers there', async () => {
		await serve();
		const harness = taskGet({ baseUrl: 'http://127.0.0.1:9' });
		await expect(runNode(harness)).rejects.toThrow(/Could not reach AIRudder at http:\/\/127\.0\.0\.1:9.*Check the Base URL/);
	});

	it('reads a sign-in answer AIRudder encrypted, as whether it does is unpublished', async () => {
		await serve({ aesKey: VECTOR.key, encryptSignIn: true });
		const harness = taskGet({ aesSecretKey: VECTOR.key });
		expect((await runNode(harness)).length).toBeGreaterThan(0);
		expect(api.received.signIns).toBe(1);
	});
});

describe('the token', () => {
	it('is asked for once and reused while it lives', async () => {
		await serve();
		const harness = taskGet();
		await runNode(harness);
		await runNode(harness);
		expect(api.received.signIns).toBe(1);
		expect(harness.preAuthentications).toBe(1);
	});

	it('is renewed by n8n when AIRudder refuses an expired one with HTTP 401, and n8n stores the new one', async () => {
		await serve({ refuseWith: 'http' });
		const harness = taskGet();
		await runNode(harness);
		const first = harness.credential.sessionToken;
		api.expireTokens();
		expect((await runNode(harness)).length).toBeGreaterThan(0);
		expect(api.received.signIns).toBe(2);
		expect(harness.credential.sessionToken).not.toBe(first);
	});

	it('is renewed by the node, once, when AIRudder refuses an expired one with a 200 and an error code', async () => {
		await serve({ refuseWith: 'code' });
		const harness = taskGet();
		await runNode(harness);
		api.expireTokens();
		expect((await runNode(harness)).length).toBeGreaterThan(0);
		expect(api.received.signIns).toBe(2);
		expect(api.received.refusedTokens).toBe(1);
	});

	it.each([['http' as const], ['code' as const]])('is not asked for in a loop when AIRudder keeps refusing it (refused as %s)', async (refuseWith) => {
		await serve({ refuseWith, tokenLifetimeMs: -1 });
		const harness = taskGet();
		await expect(runNode(harness)).rejects.toThrow(/401/);
		expect(api.received.signIns).toBe(2);
		expect(api.received.byPath['/service/cloud/detail']).toBe(2);
	});

	it('never appears in an error', async () => {
		await serve({ refuseWith: 'code', tokenLifetimeMs: -1 });
		const harness = taskGet();
		const error = await runNode(harness).catch((caught: Error) => caught);
		expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(String(harness.credential.sessionToken));
	});
});

describe('AIRudder’s encrypted scheme', () => {
	it('encrypts the GET query exactly as AIRudder’s test vector, with Is-Encrypted and Signed', async () => {
		await serve({ aesKey: VECTOR.key });
		await runNode(taskGet({ aesSecretKey: VECTOR.key }));
		const request = api.received.requests.find((received) => received.path === '/service/cloud/detail')!;
		expect(decodeURIComponent(request.rawQuery)).toBe(VECTOR.ciphertext);
		expect(request.headers).toMatchObject({ 'is-encrypted': '1', signed: VECTOR.signed });
		expect(encryptAirudder(VECTOR.plaintext, VECTOR.key)).toBe(VECTOR.ciphertext);
	});

	it('decrypts the answer and checks its Signed header', async () => {
		await serve({ aesKey: VECTOR.key });
		const items = await runNode(taskGet({ aesSecretKey: VECTOR.key }));
		expect(items[0]).toMatchObject({ task_id: TASK_ID });
		expect(sha256Hex(VECTOR.plaintext)).toBe(VECTOR.signed);
	});

	it('says the AES Key is wrong when AIRudder cannot decrypt the request', async () => {
		await serve({ aesKey: VECTOR.key });
		await expect(runNode(taskGet({ aesSecretKey: 'a-wrong-key-0000' }))).rejects.toThrow(/AIRudder answered code 400: "Decryption failed or Signed does not match"/);
	});

	it('says the AES Key is probably wrong when an encrypted answer does not match its Signed header', async () => {
		await serve({ aesKey: VECTOR.key, encryptSignIn: true });
		await expect(runNode(taskGet({ aesSecretKey: 'another-key-16by' }))).rejects.toThrow(
			/^Signing in to AIRudder failed\. Its answer could not be read\. .*the AES Key in the AIRudder API credential is probably wrong/,
		);
	});

	it('says the AES Key has the wrong length before sending anything', async () => {
		await serve({ aesKey: VECTOR.key });
		await expect(runNode(taskGet({ aesSecretKey: 'too-short' }))).rejects.toThrow(/is 9 bytes long; AIRudder's keys are 16, 24 or 32/);
		expect(api.received.byPath['/service/cloud/detail']).toBeUndefined();
	});

	it('asks for the AES Key when AIRudder encrypts its answer and the credential has none', async () => {
		await serve({ aesKey: VECTOR.key, encryptSignIn: true });
		await expect(runNode(taskGet())).rejects.toThrow(/Enter the AES Key AIRudder gave you/);
	});
});

describe('AIRudder’s answers', () => {
	it('an error body becomes an error with AIRudder’s code and message', async () => {
		await serve();
		const failure = runNode(taskGet({}, { taskId: 'no-such-task' }));
		await expect(failure).rejects.toThrow('AIRudder answered code 404: "Task no-such-task not found" for /service/cloud/detail. Check the values you sent');
	});

	it.each([
		['malformedJson' as const, /something that is not JSON/],
		['emptyBody' as const, /AIRudder answered with an empty body/],
	])('a %s answer says so', async (fault, message) => {
		await serve({ faults: { '/service/cloud/detail': fault } });
		await expect(runNode(taskGet())).rejects.toThrow(message);
	});

	it('with Continue On Fail, a failed item gives an item with its error', async () => {
		await serve();
		const harness = executeContext({
			parameters: { resource: 'task', operation: 'get', taskId: 'no-such-task', simplify: true, options: {} },
			credential: { ...KEYS, baseUrl: api.url, aesSecretKey: '' },
			continueOnFail: true,
		});
		expect(await runNode(harness)).toEqual([{ error: expect.stringContaining('code 404') }]);
	});
});

describe('the local AIRudder API’s command line', () => {
	it('serves a sign-in with the local keys until stopped', async () => {
		const child = spawn(process.execPath, [join(__dirname, '..', 'scripts', 'serveLocalAirudderApi.js'), '--port', '0']);
		try {
			const [line] = (await once(child.stdout, 'data')) as [Buffer];
			const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(line.toString())?.[1] ?? 'the command printed no address';
			const token = await signIn(httpRequest, readApiCredentials({ ...KEYS, baseUrl: url }));
			expect(token).toMatch(/^[0-9a-f]{32}$/);
		} finally {
			child.kill('SIGINT');
			await once(child, 'exit');
		}
	});
});
