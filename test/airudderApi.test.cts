/**
 * The AIRudder API credential and the client every operation calls AIRudder with: sign-in, the
 * token n8n keeps and renews, AIRudder's encrypted scheme, and the sentences a user reads when
 * something is wrong. Against the local AIRudder API (scripts/lib/localAirudderApi.js), through
 * the node's Task → Get, with n8n's request helpers emulated (test/helpers/executeContext.cts).
 */
import { spawn } from 'child_process';
import { once } from 'events';
import { createServer, type IncomingHttpHeaders } from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject, NodeApiError } from 'n8n-workflow';
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
/** The advice sentences a refusal ends with, by what AIRudder refused. */
const REFUSED_KEYS = 'AIRudder refused the App Key or App Secret. Copy the App Key and App Secret again from AIRudder into the AIRudder API credential.';
const CREDENTIAL = 'AIRudder refused the credential even after signing in again. Check the App Key and App Secret in the AIRudder API credential, and that your AIRudder account may use this API.';
const LATER = "Run the node again later, or turn on Retry On Fail in the node's Settings with a wait between tries.";

let api: LocalAirudderApi;
async function serve(options: LocalAirudderApiOptions = {}): Promise<LocalAirudderApi> {
	api = await startLocalAirudderApi({ tasks: { [TASK_ID]: { ...task, task_id: TASK_ID } }, ...options });
	return api;
}
afterEach(async () => await api?.close());

/** The error a run fails with, as n8n shows it: message, description, HTTP code. */
async function refusal(harness: Harness): Promise<{ message: string; description: unknown; httpCode: unknown }> {
	const error = (await runNode(harness).catch((caught: unknown) => caught)) as NodeApiError;
	return { message: error.message, description: error.description ?? undefined, httpCode: error.httpCode };
}

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

	it.each([
		['http' as const, 'HTTP 403, code 403'],
		['code' as const, 'code 403'],
	])('says what to fix when AIRudder refuses the App Key or Secret (refused as %s), with AIRudder’s words and no secret', async (refuseWith, answered) => {
		await serve({ refuseWith });
		const harness = taskGet({ appSecret: 'wrong-secret' });
		const error = await runNode(harness).catch((caught: unknown) => caught);
		expect(await refusal(harness)).toEqual({
			message: `Signing in to AIRudder failed (${answered}). ${REFUSED_KEYS}`,
			description: 'AIRudder answered code 403: "APPKey or APPSecret is wrong"',
			httpCode: undefined,
		});
		expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain('wrong-secret');
	});

	/** Each status of the sign-in AIRudder lists, and those a gateway adds: AIRudder's words in the description, the advice of the status. */
	it.each([
		[400, 'APPKey is required', 'AIRudder named APPKey: check what you gave the AIRudder API credential for it.'],
		[400, 'Bad request', 'Check the Base URL, App Key and App Secret in the AIRudder API credential.'],
		[401, 'APPSecret is wrong', REFUSED_KEYS],
		[403, 'This account may not use the API', REFUSED_KEYS],
		[429, 'Too many requests', `AIRudder is limiting how often it is called. ${LATER}`],
		[500, 'Internal error', `AIRudder had a problem on its side. ${LATER} If it persists, send AIRudder the code and message below.`],
	])('a sign-in refused with HTTP %i, "%s": says what to do, with AIRudder’s code and message', async (status, message, advice) => {
		await serve({ faults: { '/service/cloud/auth': { status, body: { code: status, message, data: null } } } });
		expect(await refusal(taskGet())).toEqual({
			message: `Signing in to AIRudder failed (HTTP ${status}, code ${status}). ${advice}`,
			description: `AIRudder answered code ${status}: "${message}"`,
			httpCode: undefined,
		});
	});

	it('a sign-in refused in a 200 with an error code: the advice of that code', async () => {
		await serve({ faults: { '/service/cloud/auth': { status: 200, body: { code: 429, message: 'Too many requests', data: null } } } });
		expect(await refusal(taskGet())).toEqual({
			message: `Signing in to AIRudder failed (code 429). AIRudder is limiting how often it is called. ${LATER}`,
			description: 'AIRudder answered code 429: "Too many requests"',
			httpCode: undefined,
		});
	});

	it('a sign-in refusal that repeats the App Secret or App Key: both hidden in AIRudder’s words', async () => {
		const message = `APPSecret ${KEYS.appSecret} does not belong to APPKey ${KEYS.appKey}`;
		await serve({ faults: { '/service/cloud/auth': { status: 403, body: { code: 403, message, data: null } } } });
		expect(await refusal(taskGet())).toEqual({
			message: `Signing in to AIRudder failed (HTTP 403, code 403). ${REFUSED_KEYS}`,
			description: 'AIRudder answered code 403: "APPSecret (hidden) does not belong to APPKey (hidden)"',
			httpCode: undefined,
		});
	});

	it('a sign-in refused by a gateway without an AIRudder body: the status and what to do', async () => {
		await serve({ faults: { '/service/cloud/auth': { status: 502, body: { error: 'Bad Gateway' } } } });
		expect(await refusal(taskGet())).toEqual({
			message: `Signing in to AIRudder failed (HTTP 502). AIRudder had a problem on its side. ${LATER} If it persists, send AIRudder the code and message below.`,
			description: undefined,
			httpCode: undefined,
		});
	});

	it('says the Base URL is wrong when nothing AIRudder-like answers there', async () => {
		await serve();
		const harness = taskGet({ baseUrl: 'http://127.0.0.1:9' });
		await expect(runNode(harness)).rejects.toThrow(/Could not reach AIRudder at http:\/\/127\.0\.0\.1:9.*Check the Base URL/);
	});

	it('reads a sign-in answer AIRudder encrypted, as whether it does is unpublished', async () => {
		await serve({ aesKey: VECTOR.key, encryptSignIn: true });
		const harness = taskGet({ aesSecretKey: VECTOR.key });
		const items = await runNode(harness);
		expect(items.map(({ task_id, call_id }) => ({ task_id, call_id }))).toEqual([{ task_id: TASK_ID, call_id: 'ic1689265f0a4c2fe7b7da5b5' }]);
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

	it.each([
		['http' as const, 'HTTP 401, code 401'],
		['code' as const, 'code 401'],
	])('is not asked for in a loop when AIRudder keeps refusing it (refused as %s)', async (refuseWith, answered) => {
		await serve({ refuseWith, tokenLifetimeMs: -1 });
		const harness = taskGet();
		expect(await refusal(harness)).toMatchObject({
			message: `AIRudder refused /service/cloud/detail (${answered}). ${CREDENTIAL}`,
			description: 'AIRudder answered code 401: "Token expired or invalid, please apply for a new token"',
		});
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
		expect(request.rawQuery).toBe(VECTOR.ciphertext);
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
		expect(await refusal(taskGet({ aesSecretKey: 'a-wrong-key-0000' }))).toEqual({
			message: 'AIRudder refused /service/cloud/detail (code 400). AIRudder could not decrypt the request: check the AES Key in the AIRudder API credential.',
			description: 'AIRudder answered code 400: "Decryption failed or Signed does not match"',
			httpCode: '400',
		});
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
	it.each([
		['malformedJson' as const, /something that is not JSON/],
		['emptyBody' as const, /AIRudder answered with an empty body/],
	])('a %s answer says so', async (fault, message) => {
		await serve({ faults: { '/service/cloud/detail': fault } });
		await expect(runNode(taskGet())).rejects.toThrow(message);
	});

	it('with Continue On Fail, a failed item gives an item with its error and AIRudder’s words', async () => {
		await serve();
		const harness = executeContext({
			parameters: { resource: 'task', operation: 'get', taskId: 'no-such-task', simplify: true, options: {} },
			credential: { ...KEYS, baseUrl: api.url, aesSecretKey: '' },
			continueOnFail: true,
		});
		expect(await runNode(harness)).toEqual([
			{
				error: 'AIRudder refused /service/cloud/detail (code 404). Check the values you gave the node; if the message names the token or your keys, check the AIRudder API credential.',
				description: 'AIRudder answered code 404: "Task no-such-task not found"',
			},
		]);
	});
});

/**
 * Every refusal keeps AIRudder's code and message in the error's description, whether AIRudder
 * says it with an HTTP status or in a 200, and its message says what to do for that status.
 */
describe('AIRudder’s refusals', () => {
	const answering = (status: number, code: number, message: string) => ({
		faults: { '/service/cloud/detail': { status, body: { code, message, data: null } } },
	});

	it.each([
		[400, 'TaskID is not a task of this account', 'AIRudder named TaskID: check what you gave the node for it.'],
		[400, 'workflow_id is required', 'AIRudder asks for workflow_id, which the node does not send: AIRudder has not published this request, so use an HTTP Request node with the AIRudder API credential meanwhile.'],
		[404, 'Task not found', 'Check the values you gave the node; if the message names the token or your keys, check the AIRudder API credential.'],
		[403, 'This account may not use the API', CREDENTIAL],
		[429, 'Too many requests', `AIRudder is limiting how often it is called. ${LATER}`],
		[500, 'Internal error', `AIRudder had a problem on its side. ${LATER} If it persists, send AIRudder the code and message below.`],
		[503, 'Service unavailable', `AIRudder had a problem on its side. ${LATER} If it persists, send AIRudder the code and message below.`],
	])('HTTP %i, "%s": says what to do, with AIRudder’s code and message', async (status, message, advice) => {
		await serve(answering(status, status, message));
		expect(await refusal(taskGet())).toEqual({
			message: `AIRudder refused /service/cloud/detail (HTTP ${status}, code ${status}). ${advice}`,
			description: `AIRudder answered code ${status}: "${message}"`,
			httpCode: String(status),
		});
	});

	it('HTTP 401 after n8n signed in again: the credential, with AIRudder’s words', async () => {
		await serve({ refuseWith: 'http', tokenLifetimeMs: -1 });
		expect(await refusal(taskGet())).toEqual({
			message: `AIRudder refused /service/cloud/detail (HTTP 401, code 401). ${CREDENTIAL}`,
			description: 'AIRudder answered code 401: "Token expired or invalid, please apply for a new token"',
			httpCode: '401',
		});
	});

	it('a 200 with an error code: the advice of that code', async () => {
		await serve(answering(200, 500, 'Internal error'));
		expect(await refusal(taskGet())).toMatchObject({
			message: `AIRudder refused /service/cloud/detail (code 500). AIRudder had a problem on its side. ${LATER} If it persists, send AIRudder the code and message below.`,
			description: 'AIRudder answered code 500: "Internal error"',
		});
	});

	it('an HTTP error without an AIRudder body (a proxy’s page): the status and what to do', async () => {
		await serve({ faults: { '/service/cloud/detail': { status: 502, body: { error: 'Bad Gateway' } } } });
		expect(await refusal(taskGet())).toEqual({
			message: `AIRudder refused /service/cloud/detail (HTTP 502). AIRudder had a problem on its side. ${LATER} If it persists, send AIRudder the code and message below.`,
			description: undefined,
			httpCode: '502',
		});
	});

	it('no answer at all: the Base URL', async () => {
		await serve();
		const harness = taskGet();
		await runNode(harness);
		harness.credential.baseUrl = 'http://127.0.0.1:9';
		await expect(runNode(harness)).rejects.toThrow('AIRudder did not answer /service/cloud/detail. Check the Base URL in the AIRudder API credential and that n8n can reach it.');
	});
});

/**
 * What n8n puts on the wire, read by a bare node:http server rather than the local AIRudder API
 * (which was written beside the client and could share its reading), against AIRudder's
 * published example: its test vector for a GET, its POST example's scheme for a body.
 */
describe('the bytes on the wire, as AIRudder’s published example sends them', () => {
	/**
	 * Each POST's JSON and its ciphertext under the vector's key, computed once outside this package:
	 * python3 zero-padded the UTF-8 bytes to the block size (a full block of zeros when already
	 * aligned, as Add Contacts' 80 bytes are), `openssl enc -aes-128-ecb -K <key as hex> -nopad`
	 * encrypted them and python3 base64-encoded the result; the same steps reproduce the vendor's
	 * test vector. `Signed` is `sha256sum` of the JSON.
	 */
	const POSTS = [
		{
			operation: 'Workflow → Get Task Details',
			parameters: { resource: 'workflow', operation: 'getTaskDetails', taskId: TASK_ID, simplify: false, options: {} },
			path: '/service/cloud/workflow/taskdetail',
			plaintext: '{"task_id":"69f531a01a9df58aa6de2487be610abb"}',
			ciphertext: 'lihF9pgrVhSjinqnJyKJAVarXU36LJQ7umQG9KEb5XeY2E2UbtQcrr0ykXHCwsXi',
			signed: 'baf7a300a39ac087d54ad99044ada67f8be8c0178da7e6c512103e4c710b52e1',
		},
		{
			operation: 'Workflow → Create',
			parameters: { resource: 'workflow', operation: 'create', workflowTemplateId: 'template-1', name: 'Reminders', endTime: '2026-12-05T18:00:00', options: { accountTimeZone: 'Asia/Jakarta' }, contactsInput: 'json', contactList: '[{"callee": "+6281234567890", "variables": {"name": "อนา"}}]' },
			path: '/service/cloud/workflow/createinstance',
			plaintext: '{"workflow_template_id":"template-1","name":"Reminders","end_time":"2026-12-05 18:00:00+07:00","details":[{"callee":"+6281234567890","variables":{"name":"อนา"}}]}',
			ciphertext:
				'XSSVsaAquxYRDQz1AJSPMBfgbpBS0oNKi3hpSghq0hIZhZEeL5XdZ5caJJ7djXvY4fWu+ob3qd3HNh3luVqHNzF74zWU3bFmnY8nKnVocBP/hp366QEc1+f/ABXQaLgnykwxIu1Mhshz/3qcp2LIncJwD5PDauTy3j3CWQbDYbXS/nrh74msDJ3JmjVWEnD+1Yz6pGaodLA/sjtBOQjThNtvpSrWQswzEEifFmQ4tWk=',
			signed: '39ffa320116ebab6a3f7a153953887d435b3e2562fed1ec2415bca0959ee7677',
		},
		{
			operation: 'Workflow → Add Contacts',
			parameters: { resource: 'workflow', operation: 'addContacts', workflowId: 'wf-123456', contactsInput: 'fields', callee: '+6281', variables: { row: 0 } },
			path: '/service/cloud/workflow/uploaddetails',
			plaintext: '{"workflow_id":"wf-123456","details":[{"callee":"+6281","variables":{"row":0}}]}',
			ciphertext: 'M/IPsAxHWfJ0I41aH+QKymLQCojKvkTtZF/iwYNFylVPqrdaGnMuem8apVccFIFSDLt348hF5ZSGgclLvIuL7rMPtV7SwurXqa+anCm4pGkIJJjU4IphB3nVwvPPPLkd',
			signed: '04b7341038a46018549a764a55daee406ad57e0a51a483614e2335b851294179',
		},
	];
	let requests: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }>;
	let close: (() => void) | undefined;

	/** Signs in, and answers every other request with `data`, in plain JSON. */
	async function bareServer(data: object): Promise<string> {
		requests = [];
		const server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('latin1') });
				const answer = req.url === '/service/cloud/auth' ? { code: 200, status: 'OK', data: { token: 'bare-token' } } : { code: 200, data };
				res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		close = () => server.close();
		return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	}
	afterEach(() => close?.());

	it('a GET: the query is the vector’s ciphertext, bare, as the example appends it to the URL', async () => {
		const url = await bareServer({ ...task, task_id: TASK_ID });
		await runNode(executeContext({ parameters: { resource: 'task', operation: 'get', taskId: TASK_ID, simplify: true, options: {} }, credential: { ...KEYS, baseUrl: url, aesSecretKey: VECTOR.key } }));
		const [, sent] = requests;
		expect(sent.url).toBe(`/service/cloud/detail?${VECTOR.ciphertext}`);
		expect(sent.headers).toMatchObject({ 'is-encrypted': '1', signed: VECTOR.signed, authorization: 'Token bare-token' });
	});

	it.each(POSTS)('a POST, $operation: the body is exactly the ciphertext of its JSON, without quotes or any wrapping', async ({ parameters, path, plaintext, ciphertext, signed }) => {
		const url = await bareServer({ ...task, task_id: TASK_ID, workflow_id: 'wf-123456' });
		await runNode(executeContext({ parameters, credential: { ...KEYS, baseUrl: url, aesSecretKey: VECTOR.key } }));
		const [, sent] = requests;
		expect(sent).toMatchObject({ method: 'POST', url: path, body: ciphertext });
		expect(sent.headers).toMatchObject({ 'content-type': 'application/json', 'is-encrypted': '1', signed, authorization: 'Token bare-token' });
		expect(sha256Hex(plaintext)).toBe(signed);
	});
});

describe('the local AIRudder API', () => {
	it.each([
		['a quoted POST body', 'POST', (ciphertext: string) => ({ path: '/service/cloud/workflow/taskdetail', body: JSON.stringify(ciphertext) })],
		['a percent-encoded GET query', 'GET', (ciphertext: string) => ({ path: `/service/cloud/detail?${encodeURIComponent(ciphertext)}`, body: undefined })],
	])('refuses %s with HTTP 400, as a strict base64 decoder does', async (_, method, sent) => {
		await serve({ aesKey: VECTOR.key });
		const token = await signIn(httpRequest, readApiCredentials({ ...KEYS, baseUrl: api.url }));
		const { path, body } = sent(VECTOR.ciphertext);
		const answer = await fetch(`${api.url}${path}`, { method, body, headers: { Authorization: `Token ${token}`, 'Is-Encrypted': '1', Signed: VECTOR.signed } });
		expect(answer.status).toBe(400);
		expect(await answer.json()).toEqual({ code: 400, message: 'Decryption failed: the encrypted data is not base64', data: null });
	});
});

describe('the local AIRudder API’s command line', () => {
	const SCRIPT = join(__dirname, '..', 'scripts', 'serveLocalAirudderApi.js');

	/** Starts the command with `args`, gives `use` its address, and stops it. */
	async function serving(args: string[], use: (url: string) => Promise<void>): Promise<void> {
		const child = spawn(process.execPath, [SCRIPT, '--port', '0', ...args]);
		try {
			const [line] = (await once(child.stdout, 'data')) as [Buffer];
			await use(/on (http:\/\/127\.0\.0\.1:\d+)/.exec(line.toString())?.[1] ?? 'the command printed no address');
		} finally {
			child.kill('SIGINT');
			await once(child, 'exit');
		}
	}

	it('serves a sign-in with the local keys until stopped', async () => {
		await serving([], async (url) => {
			const token = await signIn(httpRequest, readApiCredentials({ ...KEYS, baseUrl: url }));
			expect(token).toMatch(/^[0-9a-f]{32}$/);
		});
	});

	it('answers the lookups in the shape --answer-shape names: emptyPage, {"list": null, "total": 0}', async () => {
		await serving(['--answer-shape', 'emptyPage'], async (url) => {
			const token = await signIn(httpRequest, readApiCredentials({ ...KEYS, baseUrl: url }));
			const body = JSON.stringify({ start_time: '2024-03-11 00:00:00', end_time: '2024-03-12 00:00:00' });
			const answer = await fetch(`${url}/service/cloud/workflow/detailinstances`, { method: 'POST', body, headers: { Authorization: `Token ${token}` } });
			expect(await answer.json()).toEqual({ code: 200, data: { list: null, total: 0 } });
		});
	});

	it('refuses an --answer-shape it does not know, naming the ones it does', async () => {
		const child = spawn(process.execPath, [SCRIPT, '--port', '0', '--answer-shape', 'pages']);
		const exited = once(child, 'exit');
		const [message] = (await once(child.stderr, 'data')) as [Buffer];
		const [exitCode] = (await exited) as [number];
		expect(message.toString()).toBe(
			'--answer-shape "pages" is not a shape the local AIRudder API answers in. Give one of: task, pagedList, pagedFlatList, callbackList, flatList, emptyPage.\n',
		);
		expect(exitCode).toBe(1);
	});
});
