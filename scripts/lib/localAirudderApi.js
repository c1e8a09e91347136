// @ts-check
/**
 * A local AIRudder API, for specs, end-to-end tests and contributors: a plain Node HTTP server on
 * 127.0.0.1 that answers as AIRudder's `/service/cloud` API does. Requiring this file starts
 * nothing; `startLocalAirudderApi(options)` does.
 *
 * What follows AIRudder's published contract (docs: /work/shared/airudder/README.md "AIRudder API"):
 * - `POST /service/cloud/auth` with `{"APPKey", "APPSecret"}` → `{"data":{"token"},"status":"OK","code":200}`;
 * - `Authorization: Token <token>` on every other call; a token lives 24 hours, and signing in again
 *   within that time keeps the earlier token for another 24 hours;
 * - encrypted requests and answers: `Is-Encrypted: 1` and `Signed` (sha256 hex of the plaintext);
 *   AES-ECB with zero padding, base64; POST: the body is the bare ciphertext; GET: the whole query
 *   string is the bare ciphertext, as AIRudder's example sends both. Read strictly: a body or
 *   query that is not exactly base64 (quoted, percent-encoded, with stray characters) is refused,
 *   so this server does not share a client's looser reading (AIRudder's own Python sample decodes
 *   without validating, so its server may be laxer);
 * - `GET /service/cloud/detail?TaskID=…` and `POST /service/cloud/workflow/detailinstances` with
 *   `case_id?`, `callee?`, `start_time`, `end_time`;
 * - bodies `{"code": 200, "data": …}` on success.
 * What is inferred, and configurable where AIRudder's answer is unknown:
 * - how an expired or unknown token is refused (`refuseWith`: HTTP 401, or HTTP 200 with code 401);
 *   wrong App Key or Secret the same way, with code 403;
 * - error bodies `{"code": <not 200>, "message": "…", "data": null}`; an encrypted request that is
 *   not base64 gets HTTP 400 with code 400;
 * - the answers of the three lookups, none of them published (`answerShape`, `ANSWER_SHAPES`):
 *   `task`, the task envelope with its calls in `details[]` as the call-completion callback
 *   (AIRudder's sentence on the workflow variant points there; the default of
 *   `/service/cloud/detail` and `/service/cloud/workflow/taskdetail`); `pagedList`, `{"list": [one
 *   call per entry, as a callback with its call in details[0]], "total", "page", "page_size"}`,
 *   paged by `page` (from 1) and `page_size` (the default of `detailinstances`); `pagedFlatList`,
 *   that page with each call flat as in `flatList`; `callbackList`, the list as `data` itself;
 *   `flatList`, a list in `data` of calls with the task and workflow fields beside their own, no
 *   details[] (what an independent implementation of the published pages answered); `emptyPage`,
 *   `{"list": null, "total": 0}` whatever is held, as a server that found no calls may answer;
 * - `/service/cloud/workflow/taskdetail` takes `{"task_id"}` and answers as `/service/cloud/detail`
 *   plus the workflow fields;
 * - `detailinstances` matches calls on `CaseID`, `callee` and `call_start_time` within the window
 *   (strings "YYYY-MM-DD HH:mm:ss");
 * - `createinstance` and `uploaddetails` as one integration shows them.
 *
 * Options (all optional): `port` (0 picks a free one), `appKey`, `appSecret`, `aesKey` (account
 * encrypts every call but the sign-in, whose answer is encrypted only with `encryptSignIn`),
 * `tokenLifetimeMs` (24 h), `refuseWith` ('http' | 'code'), `tasks` ({ [TaskID]: task }),
 * `workflowTasks` ({ [task_id]: task }), `workflowCalls` (callback-shaped payloads, each with
 * details[]), `answerShape` (one of `ANSWER_SHAPES`, for all three lookups; by default each its
 * own, above), `pageSize` (largest page it serves), `faults`
 * ({ [path]: 'malformedJson' | 'emptyBody' | { status, body } }, the last an answer with that HTTP
 * status and JSON body).
 * The result: `{ url, close(), received, expireTokens(), setFault(path, fault), addWorkflowCalls(payloads) }`,
 * where `received` counts sign-ins, refused tokens and requests per path, and keeps each request
 * as it arrived; `addWorkflowCalls` adds to `workflowCalls` once the server runs, as AIRudder
 * holds each call from the moment it ends (a load's calls, known only once the load is planned).
 */
const http = require('node:http');
const crypto = require('node:crypto');

const DAY_MS = 24 * 60 * 60 * 1000;

/** @param {string} key */
function ecb(key) {
	const bytes = Buffer.from(key, 'utf8');
	return { algorithm: `aes-${bytes.length * 8}-ecb`, bytes };
}

/** @param {string} plaintext @param {string} key */
function encrypt(plaintext, key) {
	const { algorithm, bytes } = ecb(key);
	const data = Buffer.from(plaintext, 'utf8');
	const padded = Buffer.concat([data, Buffer.alloc(16 - (data.length % 16))]);
	const cipher = crypto.createCipheriv(algorithm, bytes, null).setAutoPadding(false);
	return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/** @param {string} ciphertext @param {string} key @returns {string} */
function decrypt(ciphertext, key) {
	const { algorithm, bytes } = ecb(key);
	const decipher = crypto.createDecipheriv(algorithm, bytes, null).setAutoPadding(false);
	const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
	return plain.toString('utf8').replace(/\0+$/, '');
}

/** @param {string} text */
const sha256 = (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * @typedef {{ method: string, path: string, rawQuery: string, rawBody: string, headers: http.IncomingHttpHeaders, plaintext: string }} ReceivedRequest
 * @typedef {{ signIns: number, refusedTokens: number, byPath: Record<string, number>, requests: ReceivedRequest[] }} Received
 * @typedef {'malformedJson' | 'emptyBody' | { status: number, body: object }} Fault
 * @typedef {'task' | 'pagedList' | 'pagedFlatList' | 'callbackList' | 'flatList' | 'emptyPage'} AnswerShape
 * @typedef {{
 *   port?: number, appKey?: string, appSecret?: string, aesKey?: string, encryptSignIn?: boolean,
 *   tokenLifetimeMs?: number, refuseWith?: 'http' | 'code',
 *   tasks?: Record<string, any>, workflowTasks?: Record<string, any>, workflowCalls?: any[],
 *   answerShape?: AnswerShape, pageSize?: number, faults?: Record<string, Fault>,
 * }} LocalAirudderApiOptions
 * @typedef {{
 *   url: string, close: () => Promise<void>, received: Received, expireTokens: () => void,
 *   setFault: (path: string, fault: Fault | undefined) => void, addWorkflowCalls: (payloads: any[]) => void,
 * }} LocalAirudderApi
 */

/** One workflow call per detail, its call as details[0]. @param {any[]} payloads */
function callRecords(payloads) {
	return payloads.flatMap((payload) => (payload.details ?? []).map((/** @type {any} */ call) => ({ ...payload, details: [call] })));
}

/** A call with its task and workflow fields beside its own; the call's win where both have one. @param {any} record */
function flatCall({ details: [call], ...envelope }) {
	return { ...envelope, ...call };
}

/**
 * `records` (one call each, in details[0]) answered in `shape`; `page` and `size` page a pagedList.
 * @param {any[]} records @param {AnswerShape} shape @param {number} page @param {number} size
 */
function shaped(records, shape, page, size) {
	if (shape === 'callbackList') return records;
	if (shape === 'flatList') return records.map(flatCall);
	if (shape === 'task') {
		return { ...records[0], details: records.map(({ details: [call] }) => call) };
	}
	if (shape === 'emptyPage') return { list: null, total: 0 };
	const list = records.slice((page - 1) * size, page * size);
	return { list: shape === 'pagedFlatList' ? list.map(flatCall) : list, total: records.length, page, page_size: size };
}

/** Every `answerShape`, as the command line offers them. @type {readonly AnswerShape[]} */
const ANSWER_SHAPES = ['task', 'pagedList', 'pagedFlatList', 'callbackList', 'flatList', 'emptyPage'];

/** Strict base64, as a decoder that validates reads it: no quotes, no percent-escapes, no spaces. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * @param {LocalAirudderApiOptions} [options]
 * @returns {Promise<LocalAirudderApi>}
 */
async function startLocalAirudderApi(options = {}) {
	const appKey = options.appKey ?? 'local-app-key';
	const appSecret = options.appSecret ?? 'local-app-secret';
	const aesKey = options.aesKey ?? '';
	const lifetime = options.tokenLifetimeMs ?? DAY_MS;
	const refuseWith = options.refuseWith ?? 'http';
	const pageSize = options.pageSize ?? 100;
	const faults = { ...options.faults };
	const records = callRecords(options.workflowCalls ?? []);
	/** @type {Map<string, number>} token → expiry (epoch ms) */
	const tokens = new Map();
	/** @type {Received} */
	const received = { signIns: 0, refusedTokens: 0, byPath: {}, requests: [] };

	/**
	 * @param {http.ServerResponse} res @param {number} status @param {object} body @param {boolean} encrypted
	 */
	function answer(res, status, body, encrypted) {
		const text = JSON.stringify(body);
		if (!encrypted) {
			res.writeHead(status, { 'Content-Type': 'application/json' }).end(text);
			return;
		}
		res.writeHead(status, { 'Content-Type': 'application/json', 'Is-Encrypted': '1', Signed: sha256(text) }).end(encrypt(text, aesKey));
	}

	/** @param {number} code @param {string} message */
	const failure = (code, message) => ({ code, message, data: null });

	/** @param {string} authorization @returns {boolean} */
	function tokenAccepted(authorization) {
		const token = /^Token (.+)$/.exec(authorization)?.[1];
		const expiry = token === undefined ? undefined : tokens.get(token);
		return expiry !== undefined && expiry > Date.now();
	}

	/** @param {string} path @param {any} input @returns {object} */
	function route(path, input) {
		if (path === '/service/cloud/detail' || path === '/service/cloud/workflow/taskdetail') {
			const taskId = path === '/service/cloud/detail' ? input.TaskID : input.task_id;
			const task = (path === '/service/cloud/detail' ? options.tasks : options.workflowTasks)?.[taskId];
			if (!task) return failure(404, `Task ${taskId} not found`);
			const shape = options.answerShape ?? 'task';
			return { code: 200, data: shape === 'task' ? task : shaped(callRecords([task]), shape, 1, Infinity) };
		}
		if (path === '/service/cloud/workflow/detailinstances') {
			if (!input.start_time || !input.end_time) return failure(400, 'start_time and end_time are required');
			const matching = records.filter(({ details: [call] }) =>
				(!input.case_id || call.CaseID === input.case_id) &&
				(!input.callee || call.callee === input.callee) &&
				call.call_start_time >= input.start_time &&
				call.call_start_time < input.end_time,
			);
			const size = Math.min(Number(input.page_size) || pageSize, pageSize);
			const page = Math.max(Number(input.page) || 1, 1);
			return { code: 200, data: shaped(matching, options.answerShape ?? 'pagedList', page, size) };
		}
		if (path === '/service/cloud/workflow/createinstance') {
			if (!input.workflow_template_id || !Array.isArray(input.details)) return failure(400, 'workflow_template_id and details are required');
			return { code: 200, data: { workflow_id: `wf-${crypto.randomUUID()}` } };
		}
		if (path === '/service/cloud/workflow/uploaddetails') {
			if (!input.workflow_id || !Array.isArray(input.details)) return failure(400, 'workflow_id and details are required');
			return { code: 200, data: { count: input.details.length } };
		}
		return failure(404, `No such API: ${path}`);
	}

	const server = http.createServer((req, res) => {
		const chunks = /** @type {Buffer[]} */ ([]);
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const [path, rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s);
			const rawBody = Buffer.concat(chunks).toString('utf8');
			const encrypted = req.headers['is-encrypted'] === '1';
			const sent = req.method === 'GET' ? rawQuery : rawBody;
			const decodable = sent !== '' && BASE64.test(sent);
			/** @type {string} */
			let plaintext = sent;
			if (encrypted && aesKey !== '') {
				try {
					plaintext = decodable ? decrypt(sent, aesKey) : '';
				} catch {
					plaintext = '';
				}
			}
			received.byPath[path] = (received.byPath[path] ?? 0) + 1;
			received.requests.push({ method: req.method ?? '', path, rawQuery, rawBody, headers: req.headers, plaintext });
			const fault = faults[path];
			if (fault === 'emptyBody') return void res.writeHead(200).end();
			if (fault === 'malformedJson') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"code": 200, "data": {');
			if (typeof fault === 'object') return answer(res, fault.status, fault.body, false);

			if (path === '/service/cloud/auth') {
				received.signIns += 1;
				const encryptAnswer = aesKey !== '' && options.encryptSignIn === true;
				let input;
				try {
					input = JSON.parse(rawBody);
				} catch {
					return answer(res, 400, failure(400, 'The body is not JSON'), false);
				}
				if (input.APPKey !== appKey || input.APPSecret !== appSecret) {
					return answer(res, refuseWith === 'http' ? 403 : 200, failure(403, 'APPKey or APPSecret is wrong'), false);
				}
				const now = Date.now();
				for (const [token, expiry] of tokens) if (expiry > now) tokens.set(token, now + lifetime);
				const token = crypto.randomBytes(16).toString('hex');
				tokens.set(token, now + lifetime);
				return answer(res, 200, { data: { token }, status: 'OK', code: 200 }, encryptAnswer);
			}

			if (!tokenAccepted(String(req.headers.authorization ?? ''))) {
				received.refusedTokens += 1;
				return answer(res, refuseWith === 'http' ? 401 : 200, failure(401, 'Token expired or invalid, please apply for a new token'), false);
			}
			if (aesKey !== '') {
				if (!encrypted) return answer(res, 200, failure(400, 'This account only takes encrypted requests'), false);
				if (!decodable) return answer(res, 400, failure(400, 'Decryption failed: the encrypted data is not base64'), false);
				if (plaintext === '' || sha256(plaintext) !== req.headers.signed) return answer(res, 200, failure(400, 'Decryption failed or Signed does not match'), false);
			}
			/** @type {any} */
			let input;
			try {
				input = req.method === 'GET' ? Object.fromEntries(new URLSearchParams(plaintext)) : JSON.parse(plaintext || '{}');
			} catch {
				return answer(res, 200, failure(400, 'The body is not JSON'), aesKey !== '');
			}
			return answer(res, 200, route(path, input), aesKey !== '');
		});
	});
	await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${address.port}`,
		received,
		close: () => new Promise((resolve) => server.close(() => resolve())),
		expireTokens: () => {
			for (const token of tokens.keys()) tokens.set(token, 0);
		},
		setFault: (path, fault) => {
			if (fault === undefined) delete faults[path];
			else faults[path] = fault;
		},
		addWorkflowCalls: (payloads) => {
			records.push(...callRecords(payloads));
		},
	};
}

module.exports = { startLocalAirudderApi, ANSWER_SHAPES };
