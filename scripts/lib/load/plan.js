// @ts-check
/**
 * The load plan: a mix of genuine AIRudder callbacks (several types, some AES-encrypted, some with
 * 100-call batches) plus forgeries, each marked so that n8n's execution records name the callback
 * they came from.
 */
const { buildCallbackRequest, DEMO_SECRETS, withToken } = require('../callbackRequest');
const { minimalTriggerWorkflow } = require('../demo');

/** @typedef {import('./sender').LoadRequest} LoadRequest */

/** Callback types in the mix: batched calls, an unwrapped dialer event, a chat session, inbound calls. */
const MIX_TYPES = ['workflow-call-completed', 'predictive-dialer-status', 'chatbot-session-ended', 'inbound-call-success'];

/** Every `BATCH_EVERY`th callback carries 100 calls; every `FORGED_EVERY`th is a forgery. */
const BATCH_EVERY = 20;
const BATCH_CALLS = 100;
const FORGED_EVERY = 50;

/**
 * One trigger → Set workflow per type in the mix, on the demo credential (HMAC, token, AES), the
 * triggers set up with `parameters`, a Wait node of `waitSeconds` before the Set node if given,
 * `lastNode` in the Set node's place if given; `name` tells apart the sets of one n8n.
 * @param {{ name?: string, parameters?: object, waitSeconds?: number, lastNode?: import('../demo').LastNode }} [variant]
 */
function loadWorkflows(variant = {}) {
	return MIX_TYPES.map((webhookPath, index) =>
		minimalTriggerWorkflow(`${variant.name ?? 'AirudderLoad'}${index}`, webhookPath, variant.parameters, {
			waitSeconds: variant.waitSeconds,
			lastNode: variant.lastNode,
		}),
	);
}

/**
 * The definition's sample with its call id replaced by `marker` (or `marker-<n>` per call), so
 * every item in n8n's records names the callback it came from.
 * @param {import('../../../nodes/Airudder/vocabulary/definition').CallbackDefinition} definition
 * @param {string} marker
 * @param {number} calls
 */
function markedPayload(definition, marker, calls) {
	const key = /** @type {string[]} */ (definition.deliveryKey)[0];
	const payload = structuredClone(definition.sample);
	if (definition.split) {
		const [first] = /** @type {object[]} */ (payload[definition.split.field]);
		payload[definition.split.field] = Array.from({ length: calls }, (_, index) => ({ ...first, [key]: `${marker}-${index}` }));
	} else if (definition.unwrap) {
		payload[definition.unwrap.field] = { .../** @type {object} */ (payload[definition.unwrap.field]), [key]: marker };
	} else {
		payload[key] = marker;
	}
	return payload;
}

/**
 * @typedef {object} PlannedCallback
 * @property {string} marker
 * @property {string} workflowId
 * @property {boolean} genuine
 * @property {number} items expected on the main output
 * @property {string[]} rows the delivery key of each item, as the nodes after the trigger see it
 * @property {string} webhookPath the callback's type, as its trigger's webhook path
 * @property {object} payload the callback as AIRudder built it, before any encryption
 * @property {LoadRequest} request
 */

/** @typedef {ReturnType<typeof minimalTriggerWorkflow>} LoadWorkflow */

/**
 * @param {LoadWorkflow} target
 * @param {string} marker
 * @param {{ calls: number, encrypt: boolean, genuine: boolean }} shape
 * @param {(path: string) => string} urlOf the production URL of a workflow's webhook path
 * @returns {PlannedCallback}
 */
function planCallback(target, marker, shape, urlOf) {
	const split = target.definition.split;
	const payload = markedPayload(target.definition, marker, shape.calls);
	const sent = buildCallbackRequest(JSON.stringify(payload), {
		encrypt: shape.encrypt,
		scheme: DEMO_SECRETS.signatureScheme,
		signingKey: shape.genuine ? DEMO_SECRETS.signingSecret : 'a-forger-s-guess',
	});
	return {
		marker,
		workflowId: target.workflow.id,
		genuine: shape.genuine,
		items: split ? shape.calls : 1,
		rows: split ? Array.from({ length: shape.calls }, (_, index) => `${marker}-${index}`) : [marker],
		webhookPath: target.definition.webhookPath,
		payload,
		request: { url: new URL(withToken(urlOf(target.path), DEMO_SECRETS.urlToken)), body: Buffer.from(sent.body), headers: sent.headers },
	};
}

/**
 * The mix: the types of `loadWorkflows()` in turn, every `BATCH_EVERY`th a 100-call batch, odd
 * ones encrypted, every `FORGED_EVERY`th forged. Markers are `<markerPrefix><index>`.
 * @param {number} count
 * @param {(path: string) => string} urlOf
 * @param {{ workflows?: LoadWorkflow[], markerPrefix?: string }} [options]
 * @returns {PlannedCallback[]}
 */
function planLoad(count, urlOf, options = {}) {
	const workflows = options.workflows ?? loadWorkflows();
	return Array.from({ length: count }, (_, index) => {
		const batched = index % BATCH_EVERY === 0;
		const target = batched ? workflows[0] : workflows[index % workflows.length];
		const shape = { calls: batched ? BATCH_CALLS : 1, encrypt: index % 2 === 1, genuine: index % FORGED_EVERY !== FORGED_EVERY - 1 };
		return planCallback(target, `${options.markerPrefix ?? 'L'}${index}`, shape, urlOf);
	});
}

module.exports = { loadWorkflows, planCallback, planLoad };
