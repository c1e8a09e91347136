// @ts-check
/**
 * Builds and sends an HTTP request the way AIRudder sends a callback: POST, JSON,
 * `User-Agent: Airudder`, optionally AES-encrypted with `Is-Encrypted: 1` and `Signed`, and
 * signed with the scheme configured in the credential. Used by `npm run send-sample`, the load,
 * the benchmarks and the tests, with the package's own crypto (dist.js).
 */
const { fromDist } = require('./dist');

/**
 * The secrets of the credential that `npm start` imports. Documented in README.md; they protect
 * nothing and must never be used for a real AIRudder account.
 */
const DEMO_SECRETS = Object.freeze({
	signatureScheme: 'hmacSha256Hex',
	signingSecret: 'airudder-demo-signing-key',
	signatureHeader: 'X-AIRudder-Sign',
	signedContent: 'raw',
	aesSecretKey: 'airudderredduria',
	urlToken: 'airudder-demo-token',
	replayWindowSeconds: 0,
});

/**
 * @typedef {object} SendOptions
 * @property {boolean} [encrypt] send the body AES-encrypted, as AIRudder does when encryption is on
 * @property {string} [aesKey]
 * @property {string} [scheme] one of SIGNATURE_SCHEMES
 * @property {string} [signingKey]
 * @property {string} [signatureHeader]
 * @property {'raw' | 'decrypted'} [signedContent] what the signature covers
 * @property {string} [token] URL token, added as ?token=
 */

/**
 * @param {string} payloadText the JSON text AIRudder would send
 * @param {SendOptions} options
 * @returns {{ body: string, headers: Record<string, string> }}
 */
function buildCallbackRequest(payloadText, options) {
	const { encryptAirudder, sha256Hex } = fromDist('crypto');
	const { computeSignature, SIGNATURE_SCHEMES } = fromDist('receive/signature');
	const headers = /** @type {Record<string, string>} */ ({ 'Content-Type': 'application/json', 'User-Agent': 'Airudder' });
	let body = payloadText;
	if (options.encrypt) {
		body = encryptAirudder(payloadText, options.aesKey ?? DEMO_SECRETS.aesSecretKey);
		headers['Is-Encrypted'] = '1';
		headers.Signed = sha256Hex(payloadText);
	}
	const scheme = options.scheme ?? 'none';
	if (!(scheme in SIGNATURE_SCHEMES)) {
		throw new Error(`Unknown signature scheme "${scheme}". Choose one of: ${Object.keys(SIGNATURE_SCHEMES).join(', ')}`);
	}
	if (scheme !== 'none') {
		const signed = options.signedContent === 'decrypted' ? payloadText : body;
		headers[options.signatureHeader ?? DEMO_SECRETS.signatureHeader] = computeSignature(
			/** @type {Exclude<import('../../nodes/Airudder/receive/signature').SignatureScheme, 'none'>} */ (scheme),
			Buffer.from(signed, 'utf8'),
			options.signingKey ?? '',
		);
	}
	return { body, headers };
}

/**
 * @param {string} url a production or test webhook URL
 * @param {string | undefined} token
 */
function withToken(url, token) {
	if (!token) return url;
	const target = new URL(url);
	target.searchParams.set('token', token);
	return target.toString();
}

/**
 * @param {string} url
 * @param {{ body: string, headers: Record<string, string> }} request
 * @param {number} [timeoutMs]
 * @returns {Promise<{ status: number, body: string }>}
 */
async function postCallback(url, request, timeoutMs = 30_000) {
	const response = await fetch(url, {
		method: 'POST',
		headers: request.headers,
		body: request.body,
		signal: AbortSignal.timeout(timeoutMs),
	});
	return { status: response.status, body: await response.text() };
}

/**
 * The same request as a curl command, for a user who tests by hand: the body is read from
 * `bodyFile`, which must hold exactly `request.body`, because the signature covers those bytes.
 * @param {string} url
 * @param {{ body: string, headers: Record<string, string> }} request
 * @param {string} bodyFile
 */
function curlCommand(url, request, bodyFile) {
	const quote = (/** @type {string} */ text) => `'${text.replace(/'/g, `'\\''`)}'`;
	const headers = Object.entries(request.headers).map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`);
	return ['curl', '-X', 'POST', quote(url), ...headers, '--data-binary', quote(`@${bodyFile}`)].join(' ');
}

module.exports = { DEMO_SECRETS, buildCallbackRequest, withToken, postCallback, curlCommand };
