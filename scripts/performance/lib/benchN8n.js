// @ts-check
/**
 * Our trigger against the least any community trigger built like ours costs n8n (a fixture
 * package, fixtures/ceiling-trigger), n8n's own Webhook node (bare and with Header Auth), the
 * pipeline users build by hand, and the documented fast path (Webhook node → AIRudder Decode),
 * inside one real n8n: the same machine, the same run, a minimal workflow
 * (trigger → one Set node) each, driven by a bounded loopback load whose rounds rotate through the
 * targets so that drift affects all of them alike.
 */
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { buildCallbackRequest, DEMO_SECRETS, withToken } = require('../../lib/callbackRequest');
const { findTrigger, packageJson } = require('../../lib/registeredTriggers');
const { DEMO_CREDENTIAL, triggerThenSet } = require('../../lib/demo');
const { percentile } = require('../../lib/load/report');
const { drive } = require('../../lib/load/sender');
const { launchLocalN8n, packPackage } = require('../../lib/localN8n');
const { findFreePortPair } = require('../../lib/ports');
const { rssMegabytes } = require('../../lib/processes');
const { cacheRoot, CURRENT_N8N } = require('../../lib/runtime');
const { itemsOf, payloadWith, CALLS_IN_5KB } = require('./benchCore');

const PLAIN_CREDENTIAL = { id: 'AirudderBenchNone', name: 'AIRudder bench: no checks' };
const HEADER_AUTH_CREDENTIAL = { id: 'BenchHeaderAuth', name: 'Webhook node bench: header auth' };
const HEADER_AUTH = { name: 'X-Bench-Key', value: 'bench-header-auth-value' };
const CEILING_CREDENTIAL = { id: 'BenchCeiling', name: 'Bench ceiling trigger' };
const CEILING_PACKAGE = path.join(__dirname, '..', 'fixtures', 'ceiling-trigger');
const { name: CEILING_PACKAGE_NAME } = require('../fixtures/ceiling-trigger/package.json');

const WEBHOOK_IDS = {
	webhookNode: '00000000-0000-4000-8000-000000000001',
	webhookNodeHeaderAuth: '00000000-0000-4000-8000-000000000004',
	diyCodeNode: '00000000-0000-4000-8000-000000000005',
	plain: '00000000-0000-4000-8000-000000000002',
	sealed: '00000000-0000-4000-8000-000000000003',
	ceiling: '00000000-0000-4000-8000-000000000006',
	webhookDecode: '00000000-0000-4000-8000-000000000007',
	ceilingOurItems: '00000000-0000-4000-8000-000000000008',
};

const PATHS = {
	webhookNode: 'bench-webhook-node',
	webhookNodeHeaderAuth: 'bench-webhook-node-header-auth',
	diyCodeNode: 'bench-diy-code-node',
	webhookDecode: 'bench-webhook-decode',
};

/**
 * What users build without this package: n8n's Code node checking the HMAC over the raw body that
 * the Webhook node keeps, decrypting AIRudder's AES-ECB, and making one item per call. It gets the
 * demo secrets as literals, as such a Code node usually does.
 */
const DIY_CODE = `const crypto = require('crypto');
const items = [];
for (const [index, item] of $input.all().entries()) {
	const raw = await this.helpers.getBinaryDataBuffer(index, 'data');
	const expected = Buffer.from(crypto.createHmac('sha256', ${JSON.stringify(DEMO_SECRETS.signingSecret)}).update(raw).digest('hex'));
	const given = Buffer.from(String(item.json.headers[${JSON.stringify(DEMO_SECRETS.signatureHeader.toLowerCase())}] ?? ''));
	if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new Error('Bad signature');
	const decipher = crypto.createDecipheriv('aes-128-ecb', Buffer.from(${JSON.stringify(DEMO_SECRETS.aesSecretKey)}), null);
	decipher.setAutoPadding(false);
	const plain = Buffer.concat([decipher.update(Buffer.from(raw.toString('latin1'), 'base64')), decipher.final()]);
	const { details, ...envelope } = JSON.parse(plain.toString('utf8').replace(/\\0+$/, ''));
	for (const call of details) items.push({ json: { ...envelope, ...call } });
}
return items;`;

/** The Code node's sandbox refuses Node's built-in modules unless n8n is told to allow them. */
const DIY_CODE_NODE_ENV = { NODE_FUNCTION_ALLOW_BUILTIN: 'crypto' };

/**
 * n8n's own Webhook node v2 in front of the Set node, answering as soon as it has the request.
 * @param {string} id
 * @param {string} webhookId
 * @param {string} webhookPath
 * @param {{ parameters?: object, credentials?: object }} auth
 */
function webhookNode(id, webhookId, webhookPath, auth) {
	return triggerThenSet(id, {
		id: `${id}-trigger`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId,
		parameters: { httpMethod: 'POST', path: webhookPath, options: {}, ...auth.parameters },
		...(auth.credentials ? { credentials: auth.credentials } : {}),
	});
}

/**
 * The Webhook node keeping the raw body, then `middle`, whose first output goes to the Set node
 * and whose later outputs go to `onLaterOutputs`, one each.
 * @param {string} id
 * @param {keyof typeof PATHS} target
 * @param {{ name: string }} middle
 * @param {Array<{ name: string }>} [onLaterOutputs]
 */
function rawBodyWebhookThen(id, target, middle, onLaterOutputs = []) {
	const workflow = webhookNode(id, WEBHOOK_IDS[target], PATHS[target], { parameters: { options: { rawBody: true } } });
	const to = (/** @type {string} */ name) => [{ node: name, type: 'main', index: 0 }];
	return {
		...workflow,
		nodes: [...workflow.nodes, middle, ...onLaterOutputs],
		connections: {
			Webhook: { main: [to(middle.name)] },
			[middle.name]: { main: [to('Set'), ...onLaterOutputs.map(({ name }) => to(name))] },
		},
	};
}

/**
 * The fast path of docs/recovery.md. Decode's Unreadable output fails the execution here, so that
 * a callback it could not read stops the bench instead of looking fast.
 * @param {string} id
 * @param {string} callbackType
 */
function webhookDecodeWorkflow(id, callbackType) {
	const decode = {
		id: `${id}-decode`,
		name: 'AIRudder Decode',
		type: `${packageJson.name}.airudderAction`,
		typeVersion: 1,
		position: [220, 0],
		parameters: { resource: 'callback', operation: 'decode', callbackType, whenUnreadable: 'output' },
		credentials: { airudderCallbackApi: PLAIN_CREDENTIAL },
	};
	const stop = {
		id: `${id}-stop`,
		name: 'Unreadable',
		type: 'n8n-nodes-base.stopAndError',
		typeVersion: 1,
		position: [440, 200],
		parameters: { errorMessage: 'Decode could not read the callback' },
	};
	return rawBodyWebhookThen(id, 'webhookDecode', decode, [stop]);
}

/**
 * The minimal community trigger, emitting `items` (JSON text) when given them.
 * @param {string} id
 * @param {string} webhookId
 * @param {string} items
 */
function ceilingWorkflow(id, webhookId, items) {
	return triggerThenSet(id, {
		id: `${id}-trigger`,
		name: 'Ceiling',
		type: `${CEILING_PACKAGE_NAME}.ceilingTrigger`,
		typeVersion: 1,
		webhookId,
		parameters: items ? { items } : {},
		credentials: { ceilingApi: CEILING_CREDENTIAL },
	});
}

/** @param {string} [ourItems] the items our trigger makes of the bench's body, as JSON text */
function benchWorkflows(ourItems = '') {
	const { nodeType, definition } = findTrigger('workflow-call-completed');
	const diyCode = {
		id: 'BenchDiyCodeNode-code',
		name: 'Verify, Decrypt, Split',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0],
		parameters: { jsCode: DIY_CODE },
	};
	const ours = (/** @type {string} */ id, /** @type {string} */ webhookId, /** @type {object} */ credential) =>
		triggerThenSet(id, {
			id: `${id}-trigger`,
			name: 'AIRudder',
			type: nodeType,
			typeVersion: 1,
			webhookId,
			parameters: {},
			credentials: { airudderCallbackApi: credential },
		});
	return {
		credentials: [
			{
				...PLAIN_CREDENTIAL,
				type: 'airudderCallbackApi',
				// A URL token only: a Production URL that checks nothing refuses every callback.
				data: { ...DEMO_SECRETS, signatureScheme: 'none', aesSecretKey: '' },
			},
			{ ...HEADER_AUTH_CREDENTIAL, type: 'httpHeaderAuth', data: HEADER_AUTH },
			{ ...CEILING_CREDENTIAL, type: 'ceilingApi', data: { secret: HEADER_AUTH.value } },
		],
		workflows: [
			webhookNode('BenchWebhookNode', WEBHOOK_IDS.webhookNode, PATHS.webhookNode, {}),
			// Like ours, this one loads and decrypts a credential for every request.
			webhookNode('BenchWebhookNodeHeaderAuth', WEBHOOK_IDS.webhookNodeHeaderAuth, PATHS.webhookNodeHeaderAuth, {
				parameters: { authentication: 'headerAuth' },
				credentials: { httpHeaderAuth: HEADER_AUTH_CREDENTIAL },
			}),
			rawBodyWebhookThen('BenchDiyCodeNode', 'diyCodeNode', diyCode),
			webhookDecodeWorkflow('BenchWebhookDecode', definition.nodeName),
			ceilingWorkflow('BenchCeiling', WEBHOOK_IDS.ceiling, ''),
			// What n8n charges for our items alone: the ceiling, emitting them without making them.
			ceilingWorkflow('BenchCeilingOurItems', WEBHOOK_IDS.ceilingOurItems, ourItems),
			ours('BenchAirudderPlain', WEBHOOK_IDS.plain, PLAIN_CREDENTIAL),
			ours('BenchAirudderSealed', WEBHOOK_IDS.sealed, DEMO_CREDENTIAL),
		],
		paths: {
			...PATHS,
			ceiling: `${WEBHOOK_IDS.ceiling}/ceiling`,
			ceilingOurItems: `${WEBHOOK_IDS.ceilingOurItems}/ceiling`,
			plain: `${WEBHOOK_IDS.plain}/${definition.webhookPath}`,
			sealed: `${WEBHOOK_IDS.sealed}/${definition.webhookPath}`,
		},
	};
}

/**
 * The request each target gets, by name, for the bench n8n at `base`.
 * @param {string} base
 */
function benchTargets(base) {
	const { paths } = benchWorkflows();
	const payload = payloadWith(CALLS_IN_5KB);
	const plainRequest = buildCallbackRequest(payload, { scheme: 'none' });
	const sealedRequest = buildCallbackRequest(payload, {
		encrypt: true,
		scheme: DEMO_SECRETS.signatureScheme,
		signingKey: DEMO_SECRETS.signingSecret,
	});
	const oursPlainUrl = (/** @type {string} */ webhookPath) => new URL(withToken(`${base}/webhook/${webhookPath}`, DEMO_SECRETS.urlToken));
	return {
		ceiling: { url: new URL(`${base}/webhook/${paths.ceiling}`), body: Buffer.from(plainRequest.body), headers: plainRequest.headers },
		ceiling_our_items: { url: new URL(`${base}/webhook/${paths.ceilingOurItems}`), body: Buffer.from(plainRequest.body), headers: plainRequest.headers },
		webhook_node: { url: new URL(`${base}/webhook/${paths.webhookNode}`), body: Buffer.from(plainRequest.body), headers: plainRequest.headers },
		webhook_node_header_auth: {
			url: new URL(`${base}/webhook/${paths.webhookNodeHeaderAuth}`),
			body: Buffer.from(plainRequest.body),
			headers: { ...plainRequest.headers, [HEADER_AUTH.name]: HEADER_AUTH.value },
		},
		// n8n's Webhook node v2 answers 422 to AIRudder's encrypted body (base64 that says it is
		// JSON), so this pipeline can only take it labelled as plain text.
		diy_code_node: {
			url: new URL(`${base}/webhook/${paths.diyCodeNode}`),
			body: Buffer.from(sealedRequest.body),
			headers: { ...sealedRequest.headers, 'Content-Type': 'text/plain' },
		},
		ours_plain: { url: oursPlainUrl(paths.plain), body: Buffer.from(plainRequest.body), headers: plainRequest.headers },
		// What ours_plain gets, checked by Decode on the same credential.
		webhook_decode: { url: oursPlainUrl(paths.webhookDecode), body: Buffer.from(plainRequest.body), headers: plainRequest.headers },
		ours_aes_signed: {
			url: new URL(withToken(`${base}/webhook/${paths.sealed}`, DEMO_SECRETS.urlToken)),
			body: Buffer.from(sealedRequest.body),
			headers: sealedRequest.headers,
		},
	};
}

/**
 * Starts n8n 2.41.1 with the bench workflows, and returns it with one request per target.
 * @param {{ folder: string, env: NodeJS.ProcessEnv, log: (line: string) => void }} options
 */
async function launchBenchN8n(options) {
	const { credentials, workflows } = benchWorkflows(JSON.stringify(await itemsOf(payloadWith(CALLS_IN_5KB))));
	const local = await launchLocalN8n({
		version: CURRENT_N8N,
		userFolder: path.join(cacheRoot(), options.folder),
		port: await findFreePortPair(),
		tarball: await packPackage(),
		env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', ...DIY_CODE_NODE_ENV, ...options.env },
		extra: { credentials, workflows, tarballs: [await packPackage(CEILING_PACKAGE)] },
		log: options.log,
	});
	return { instance: local.instance, targets: benchTargets(local.instance.baseUrl) };
}

/**
 * Every target answers 200 as soon as its execution starts, so a workflow that then fails would
 * look fast. Failed executions are saved even when successful ones are not; those of earlier runs
 * (the probe's forgery fails one on purpose) are older than `afterId`.
 * @param {import('../../lib/n8nInstance').N8nInstance} instance
 * @param {number} afterId
 */
async function refuseFailedExecutions(instance, afterId) {
	const filter = encodeURIComponent(JSON.stringify({ status: ['error', 'crashed'] }));
	const { results } = /** @type {{ results: Array<{ id: string }> }} */ (await instance.rest('GET', `/executions?filter=${filter}&limit=5`));
	const failedNow = results.filter(({ id }) => Number(id) > afterId);
	if (failedNow.length > 0) {
		const failed = await instance.execution(failedNow[0].id);
		throw new Error(`A benchmark workflow failed inside n8n (execution ${failedNow[0].id} of workflow ${failed?.workflowId}): open it in n8n's editor at ${instance.baseUrl} to see why.`);
	}
}

/**
 * Why the hand-built pipeline is sent plain text, and what it answers a forgery, measured on it:
 * AIRudder's own `Content-Type` for the encrypted body, and a wrong signature. It runs last,
 * because the forgery fails the Code node's execution.
 * @param {import('../../lib/load/sender').LoadRequest} diy
 */
async function probeDiyPipeline(diy) {
	const asAirudderSendsIt = await drive(() => ({ ...diy, headers: { ...diy.headers, 'Content-Type': 'application/json' } }), 1, 1);
	const signatureHeader = DEMO_SECRETS.signatureHeader;
	const forged = await drive(() => ({ ...diy, headers: { ...diy.headers, [signatureHeader]: '0'.repeat(64) } }), 1, 1);
	return { encrypted_body_as_application_json: asAirudderSendsIt.statuses[0], forged_signature: forged.statuses[0] };
}

/**
 * Rounds, and the seconds each target runs in each round, by concurrency. Concurrency 10 is the
 * headline's: it gets the most rounds, since a ratio taken between two targets of the same round,
 * where the machine's drift hits both alike, is what resolves a 5 % difference. A round runs for
 * a time rather than a count, so that a target n8n serves at 6 requests/s and one at 60 are
 * measured over the same stretch of the machine's drift.
 */
const PLANS = {
	quick: { 1: { rounds: 1, seconds: 3 }, 10: { rounds: 4, seconds: 4 }, 50: { rounds: 1, seconds: 4 } },
	full: { 1: { rounds: 2, seconds: 4 }, 10: { rounds: 8, seconds: 7 }, 50: { rounds: 2, seconds: 6 } },
};

/**
 * The requests that keep a target busy for about `seconds` at the rate it last showed, and never
 * fewer than two per connection.
 * @param {number} rps
 * @param {number} seconds
 * @param {number} concurrency
 */
const requestsFor = (rps, seconds, concurrency) => Math.max(2 * concurrency, Math.round(rps * seconds));

/** The ratios taken round by round, each between two targets of the same round. */
const PAIRED_RATIOS = {
	ours_plain_vs_ceiling: ['ours_plain', 'ceiling'],
	ours_aes_signed_vs_ceiling: ['ours_aes_signed', 'ceiling'],
	// What n8n charges for one item per call, with every column, against one small item.
	ceiling_our_items_vs_ceiling: ['ceiling_our_items', 'ceiling'],
	// What our checks and mapping cost, the items' own price left out.
	ours_plain_vs_ceiling_our_items: ['ours_plain', 'ceiling_our_items'],
};

const IDLE_TIMEOUT_MS = 120_000;

/**
 * Waits until n8n runs no execution. A target answers when its execution starts, so the work of
 * its last requests would otherwise fall on the next target; the wait counts as the target's time.
 * @param {import('../../lib/n8nInstance').N8nInstance} instance
 */
async function untilIdle(instance) {
	const filter = encodeURIComponent(JSON.stringify({ status: ['new', 'running'] }));
	const deadline = Date.now() + IDLE_TIMEOUT_MS;
	while (Date.now() < deadline) {
		const { results } = /** @type {{ results: unknown[] }} */ (await instance.rest('GET', `/executions?filter=${filter}&limit=1`));
		if (results.length === 0) return;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	throw new Error(`n8n still ran bench executions ${IDLE_TIMEOUT_MS / 1000} s after the last request: open ${instance.baseUrl} to see which.`);
}

/**
 * The rounds' median, range and values. With an even number of rounds the median is the mean of
 * the two middle ones: the nearest-rank percentile would report the lower one, biasing it down.
 * @param {number[]} values
 */
function spreadOf(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length / 2;
	const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
	const round3 = (/** @type {number} */ value) => Number(value.toFixed(3));
	return { median: round3(median), min: round3(sorted[0]), max: round3(sorted[sorted.length - 1]), rounds: values.map(round3) };
}

/** The machine's load average over 1, 5 and 15 minutes. */
const loadAverage = () => os.loadavg().map((load) => Number(load.toFixed(2)));

/**
 * One n8n with one of n8nSettings.js's settings, every target measured in it.
 * @param {{ quick: boolean, setting: import('./n8nSettings').N8nSetting, log: (line: string) => void }} options
 */
async function benchN8n(options) {
	const setting = options.setting.name;
	const { instance, targets } = await launchBenchN8n({ folder: `bench-n8n-${setting}`, env: options.setting.env, log: options.log });
	try {
		const names = /** @type {Array<keyof typeof targets>} */ (Object.keys(targets));
		const plan = options.quick ? PLANS.quick : PLANS.full;
		const pid = /** @type {number} */ (instance.child?.pid);
		const idleRss = rssMegabytes(pid);
		let peakRss = idleRss;
		const loadBefore = loadAverage();

		const afterId = await instance.newestExecutionId();
		/** @type {Record<string, number>} the rate each target last showed, which sizes its next round */
		const lastRps = {};
		for (const name of names) {
			const started = performance.now();
			await drive(() => targets[name], 20, 2);
			await untilIdle(instance);
			lastRps[name] = 20 / ((performance.now() - started) / 1000);
		}
		await refuseFailedExecutions(instance, afterId);
		/** @type {Record<string, Record<string, any>>} */
		const results = {};
		for (const [concurrencyText, { rounds, seconds: roundSeconds }] of Object.entries(plan)) {
			const concurrency = Number(concurrencyText);
			const totals = Object.fromEntries(names.map((name) => [name, { seconds: 0, latencies: /** @type {number[]} */ ([]), failures: 0, roundRps: /** @type {number[]} */ ([]) }]));
			for (let round = 0; round < rounds; round++) {
				// Rotate the order each round, so no target always runs first or last.
				for (let step = 0; step < names.length; step++) {
					const name = names[(round + step) % names.length];
					const requests = requestsFor(lastRps[name], roundSeconds, concurrency);
					const started = performance.now();
					const run = await drive(() => targets[name], requests, concurrency);
					peakRss = Math.max(peakRss, rssMegabytes(pid));
					await untilIdle(instance);
					const seconds = (performance.now() - started) / 1000;
					totals[name].seconds += seconds;
					lastRps[name] = requests / seconds;
					totals[name].roundRps.push(lastRps[name]);
					totals[name].latencies.push(...run.latencies);
					totals[name].failures += run.failures;
				}
			}
			const byTarget = Object.fromEntries(
				names.map((name) => {
					const sorted = totals[name].latencies.sort((a, b) => a - b);
					return [
						name,
						{
							rps: sorted.length / totals[name].seconds,
							p50: percentile(sorted, 0.5),
							p95: percentile(sorted, 0.95),
							p99: percentile(sorted, 0.99),
							failures: totals[name].failures,
							round_rps: totals[name].roundRps.map((rps) => Number(rps.toFixed(2))),
						},
					];
				}),
			);
			const paired = Object.fromEntries(
				Object.entries(PAIRED_RATIOS).map(([ratio, [ours, theirs]]) => [
					ratio,
					spreadOf(totals[ours].roundRps.map((rps, round) => rps / totals[theirs].roundRps[round])),
				]),
			);
			results[`c${concurrency}`] = { ...byTarget, paired_ratios: paired };
			options.log(`  ${setting}, concurrency ${concurrency}: ${names.map((name) => `${name} ${byTarget[name].rps.toFixed(1)} req/s`).join(', ')}`);
			options.log(`    round by round, ours ÷ ceiling: median ${paired.ours_plain_vs_ceiling.median}, ${paired.ours_plain_vs_ceiling.min} to ${paired.ours_plain_vs_ceiling.max}`);
		}
		await refuseFailedExecutions(instance, afterId);
		const diyAnswers = await probeDiyPipeline(targets.diy_code_node);
		return {
			n8n_version: CURRENT_N8N,
			setting,
			diy_code_node_answers: diyAnswers,
			plan,
			idle_rss_mb: idleRss,
			peak_rss_mb: peakRss,
			load_average_before: loadBefore,
			load_average_after: loadAverage(),
			results,
		};
	} finally {
		await instance.stop();
	}
}

module.exports = { benchN8n, benchTargets, launchBenchN8n };
