#!/usr/bin/env node
// @ts-check
/**
 * npm run send-sample -- <callback> --url <webhook URL> [options]
 * Posts a callback the way AIRudder does, so a workflow can be tried before AIRudder is set up.
 */
const fs = require('node:fs');
const { parseArgs } = require('node:util');

const USAGE = `Usage: npm run send-sample -- <callback> --url <webhook URL> [options]

Posts a sample AIRudder callback (or your own JSON file) the way AIRudder sends it.
Defaults match the demo credential that npm start imports.

  <callback>          which sample to send, e.g. workflow-call-completed (see --list);
                      optional with --file
  --url URL           the trigger's Production URL (or Test URL while listening)
  --file FILE         send this JSON file instead of the built-in sample
  --encrypt           AES-encrypt the body (adds the Is-Encrypted and Signed headers)
  --key KEY           AES key                      (default: the demo key)
  --scheme SCHEME     signature scheme: none, sha256Hex, hmacSha256Hex, hmacSha256Base64,
                      sha256BodyKeyHex            (default: hmacSha256Hex)
  --secret KEY        signing key                  (default: the demo key)
  --header NAME       signature header             (default: X-AIRudder-Sign)
  --sign-decrypted    the signature covers the decrypted body, not the bytes sent
  --token TOKEN       URL token, sent as ?token=   (default: the demo token; --token= for none)
  --list              list the callbacks that have a sample
`;

function main() {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: {
			url: { type: 'string' },
			file: { type: 'string' },
			encrypt: { type: 'boolean', default: false },
			key: { type: 'string' },
			scheme: { type: 'string' },
			secret: { type: 'string' },
			header: { type: 'string' },
			'sign-decrypted': { type: 'boolean', default: false },
			token: { type: 'string' },
			list: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	if (values.help) return void process.stdout.write(USAGE);

	let triggers;
	try {
		triggers = require('./lib/registeredTriggers');
	} catch (error) {
		throw new Error(`${/** @type {Error} */ (error).message}\nRun "npm run build" first.`);
	}
	if (values.list) {
		for (const { definition } of triggers.registeredTriggers()) {
			console.log(`${definition.webhookPath.padEnd(40)} ${definition.displayName}`);
		}
		return;
	}
	if (!values.url || (positionals.length === 0 && !values.file)) {
		process.stderr.write(USAGE);
		process.exitCode = 2;
		return;
	}

	const { DEMO_SECRETS, buildCallbackRequest, withToken, postCallback } = require('./lib/callbackRequest');
	const payloadText = values.file
		? fs.readFileSync(values.file, 'utf8')
		: JSON.stringify(triggers.findTrigger(positionals[0]).definition.sample, null, 2);
	const request = buildCallbackRequest(payloadText, {
		encrypt: values.encrypt,
		aesKey: values.key ?? DEMO_SECRETS.aesSecretKey,
		scheme: values.scheme ?? DEMO_SECRETS.signatureScheme,
		signingKey: values.secret ?? DEMO_SECRETS.signingSecret,
		signatureHeader: values.header ?? DEMO_SECRETS.signatureHeader,
		signedContent: values['sign-decrypted'] ? 'decrypted' : 'raw',
	});
	const url = withToken(values.url, values.token ?? DEMO_SECRETS.urlToken);

	return postCallback(url, request).then(({ status, body }) => {
		console.log(`POST ${url}\n→ ${status} ${body}`);
		if (status < 200 || status >= 300) process.exitCode = 1;
	});
}

Promise.resolve()
	.then(main)
	.catch((error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exitCode = 1;
	});
