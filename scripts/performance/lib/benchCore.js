// @ts-check
/**
 * The callback core on one core, in this process: verify + decrypt + parse + validate + map, as
 * the trigger runs it for every request, against the floor of raw AES decryption plus JSON.parse.
 */
const { performance } = require('node:perf_hooks');

const { buildCallbackRequest, DEMO_SECRETS } = require('../../lib/callbackRequest');
const { findTrigger } = require('../../lib/registeredTriggers');
const { fromDist } = require('../../lib/dist');

/** @type {import('../../../nodes/Airudder/output/items').ItemOptions} */
const ITEM_OPTIONS = { mode: 'perItem', simplify: true, accountTimeZone: 'Asia/Shanghai' };

/** About 5 KB: the vendor-shaped sample with four calls. */
const CALLS_IN_5KB = 4;

/** The benchmark's callback type, whose calls come in batches. */
const callCompleted = () => findTrigger('workflow-call-completed').definition;

/** @param {number} calls */
function payloadWith(calls) {
	const sample = /** @type {Record<string, any>} */ (callCompleted().sample);
	const details = Array.from({ length: calls }, (_, index) => ({ ...sample.details[0], call_id: `call-${index}`, id: index }));
	return JSON.stringify({ ...sample, details });
}

/** What the benchmark times: the trigger's handling of one request of the benchmark's callback type. */
function callbackCore() {
	const { readCallbackSecrets } = fromDist('receive/callbackCredential');
	const { parseIpAllowList } = fromDist('receive/ipAllowList');
	const { toOutputItems } = fromDist('output/items');
	const { receiveCallback } = fromDist('receive/pipeline');
	const definition = callCompleted();
	const signedAndEncrypted = readCallbackSecrets({ ...DEMO_SECRETS });
	// A URL token only: a callback to a trigger that checks nothing is refused.
	const plain = readCallbackSecrets({ ...DEMO_SECRETS, signatureScheme: 'none', aesSecretKey: '' });
	const anyAddress = parseIpAllowList('');

	/**
	 * @param {string} payloadText
	 * @param {boolean} encryptAndSign
	 */
	const requestFor = (payloadText, encryptAndSign) => {
		const request = encryptAndSign
			? buildCallbackRequest(payloadText, { encrypt: true, scheme: 'hmacSha256Hex', signingKey: DEMO_SECRETS.signingSecret })
			: buildCallbackRequest(payloadText, { scheme: 'none' });
		const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
		return { bytes: Buffer.from(request.body), headers, secrets: encryptAndSign ? signedAndEncrypted : plain };
	};

	/** @param {ReturnType<typeof requestFor>} request */
	const receive = async (request) => {
		const received = await receiveCallback(
			definition,
			{
				headers: request.headers,
				query: { token: DEMO_SECRETS.urlToken },
				ip: '127.0.0.1',
				receivedAt: new Date(),
				readBody: async () => ({ rawBody: request.bytes, parsedBody: undefined }),
			},
			{ sender: { allowList: anyAddress, allowsAnyAddress: true }, maxBodyMb: 16, readSecrets: async () => request.secrets, testRun: false },
		);
		if (received.kind !== 'valid') throw new Error(`benchmark payload was not accepted: ${JSON.stringify(received)}`);
		return toOutputItems(definition, received, ITEM_OPTIONS);
	};

	return { definition, requestFor, receive };
}

/**
 * The items our trigger makes of a plain callback, with the benchmark's item options.
 * @param {string} payloadText
 */
async function itemsOf(payloadText) {
	const { requestFor, receive } = callbackCore();
	return await receive(requestFor(payloadText, false));
}

/**
 * Runs `operation` for `seconds`, `repeats` times, and returns the median rate per second. The
 * receiving pipeline is asynchronous (it reads the credential and the body when it needs them), so
 * an operation that returns a promise is awaited; the others run without a pause between them.
 * @param {() => unknown} operation
 * @param {{ seconds: number, repeats: number }} budget
 */
async function medianRate(operation, budget) {
	const run = async () => {
		const result = operation();
		if (result instanceof Promise) await result;
	};
	for (let warm = 0; warm < 200; warm++) await run();
	const rates = [];
	for (let repeat = 0; repeat < budget.repeats; repeat++) {
		let done = 0;
		const started = performance.now();
		const until = started + budget.seconds * 1000;
		let now = started;
		while (now < until) {
			for (let batch = 0; batch < 20; batch++) await run();
			done += 20;
			now = performance.now();
		}
		rates.push(done / ((now - started) / 1000));
	}
	rates.sort((a, b) => a - b);
	return rates[Math.floor(rates.length / 2)];
}

/** @param {{ quick: boolean }} options */
async function benchCore(options) {
	const { decryptAirudder, sha256Hex } = fromDist('crypto');
	const { toOutputItems } = fromDist('output/items');
	const { isSignatureValid } = fromDist('receive/signature');
	const { definition, requestFor, receive } = callbackCore();
	const budget = options.quick ? { seconds: 0.4, repeats: 3 } : { seconds: 1, repeats: 5 };
	const fiveKb = payloadWith(CALLS_IN_5KB);
	const plain = requestFor(fiveKb, false);
	const sealed = requestFor(fiveKb, true);
	const body = sealed.bytes.toString();
	const plaintext = decryptAirudder(body, DEMO_SECRETS.aesSecretKey);
	const parsed = JSON.parse(plaintext.toString('utf8'));
	const validated = /** @type {any} */ (definition.schema.parse(parsed));

	const crypto = () => {
		isSignatureValid('hmacSha256Hex', sealed.bytes, DEMO_SECRETS.signingSecret, sealed.headers['x-airudder-sign']);
		const decrypted = decryptAirudder(body, DEMO_SECRETS.aesSecretKey);
		sha256Hex(decrypted);
		return decrypted;
	};
	const stages = {
		crypto: await medianRate(crypto, budget),
		json: await medianRate(() => JSON.parse(plaintext.toString('utf8')), budget),
		zod: await medianRate(() => definition.schema.safeParse(parsed), budget),
		mapping: await medianRate(() => toOutputItems(definition, { payload: validated }, ITEM_OPTIONS), budget),
	};
	const stageMicros = Object.fromEntries(Object.entries(stages).map(([name, rate]) => [name, 1e6 / rate]));
	const stageTotal = Object.values(stageMicros).reduce((sum, micros) => sum + micros, 0);

	const batches = [];
	for (const calls of [1, 10, 100, 1000]) {
		const request = requestFor(payloadWith(calls), true);
		const rate = await medianRate(() => receive(request), calls >= 1000 ? { ...budget, seconds: budget.seconds * 2 } : budget);
		batches.push({ calls, bytes: request.bytes.length, callbacks_per_s: rate, items_per_s: rate * calls, micros_per_item: 1e6 / (rate * calls) });
	}

	return {
		payload_bytes: fiveKb.length,
		encrypted_bytes: sealed.bytes.length,
		plain_callbacks_per_s: await medianRate(() => receive(plain), budget),
		encrypted_signed_callbacks_per_s: await medianRate(() => receive(sealed), budget),
		floor_decrypt_and_parse_per_s: await medianRate(() => JSON.parse(decryptAirudder(body, DEMO_SECRETS.aesSecretKey).toString('utf8')), budget),
		// Every step a verified, validated callback needs, leaving out only the mapping to items.
		required_steps_per_s: await medianRate(() => definition.schema.safeParse(JSON.parse(crypto().toString('utf8'))), budget),
		stage_share: Object.fromEntries(Object.entries(stageMicros).map(([name, micros]) => [name, micros / stageTotal])),
		stage_micros: stageMicros,
		batches,
	};
}

module.exports = { benchCore, itemsOf, payloadWith, CALLS_IN_5KB };
