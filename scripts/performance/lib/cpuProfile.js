// @ts-check
/**
 * Reads a V8 CPU profile (`node --cpu-prof`) of n8n serving callbacks, and says where the time of
 * the webhook requests went: our code, what it calls synchronously (n8n, zod, Node's crypto), and
 * everything else. A CPU profile has no async stacks: work n8n does after an `await` in something
 * we called counts as everything else, so n8n's functions are also ranked by inclusive time.
 */

/**
 * @typedef {{ functionName: string, url: string, lineNumber: number }} CallFrame
 * @typedef {{ id: number, callFrame: CallFrame, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], startTime: number, samples: number[], timeDeltas: number[] }} CpuProfile
 */

const OUR_CODE = /node_modules\/n8n-nodes-airudder\//;
const N8N_CODE = /node_modules\/(n8n|n8n-core|n8n-workflow|n8n-nodes-base|@n8n\/[^/]+)\//;
/** n8n's expression engine: the isolate bridge, and n8n-workflow's expression entry points. */
const EXPRESSION_ENGINE = /node_modules\/(@n8n\/expression-runtime\/|n8n-workflow\/dist\/cjs\/(expression|workflow-expression|workflow-data-proxy|expression-evaluator-proxy)\b)/;
/**
 * V8 charges to `(program)` the time when no JavaScript function is on the stack: mostly the event
 * loop between callbacks and native work no frame names, which no request can be charged for.
 */
const IDLE = new Set(['(idle)', '(program)']);
/** A sample inside one of these frames is n8n handling a production webhook request. */
const WEBHOOK_REQUEST = new Set(['executeWebhook', 'runWebhook']);

/** @param {CallFrame} frame */
function frameName(frame) {
	const file = frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\//, '');
	return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
}

/**
 * @param {CpuProfile} profile
 * @param {{ requests: number, top?: number }} options `requests`: every webhook request n8n served while profiled, warm-up included, since the window runs from the first to the last
 */
function summarizeWebhookProfile(profile, options) {
	const top = options.top ?? 15;
	/** @type {Map<number, ProfileNode>} */
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	/** @type {Map<number, number>} */
	const parentOf = new Map();
	for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
	/** @param {number} id @returns {ProfileNode[]} the stack, innermost first */
	const stackOf = (id) => {
		const stack = [];
		for (let current = /** @type {number | undefined} */ (id); current !== undefined; current = parentOf.get(current)) {
			stack.push(/** @type {ProfileNode} */ (byId.get(current)));
		}
		return stack;
	};

	let time = profile.startTime;
	const samples = profile.samples.map((id, index) => {
		time += profile.timeDeltas[index];
		return { id, at: time, micros: profile.timeDeltas[index + 1] ?? 0 };
	});
	const inRequest = samples.filter(({ id }) => stackOf(id).some((node) => WEBHOOK_REQUEST.has(node.callFrame.functionName)));
	if (inRequest.length === 0) throw new Error('The profile holds no webhook request: was n8n profiled while it served callbacks?');
	const from = inRequest[0].at;
	const to = inRequest[inRequest.length - 1].at;
	const window = samples.filter(({ at }) => at >= from && at <= to);

	/** @type {Map<string, number>} */
	const self = new Map();
	/** @type {Map<string, number>} */
	const inclusive = new Map();
	/** @type {Map<string, number>} */
	const calledByOurCode = new Map();
	/** @type {Map<string, number>} */
	const expressionsBy = new Map();
	const add = (/** @type {Map<string, number>} */ map, /** @type {string} */ key, /** @type {number} */ micros) => map.set(key, (map.get(key) ?? 0) + micros);
	let busy = 0;
	let ours = 0;
	let underOurs = 0;
	for (const { id, micros } of window) {
		const stack = stackOf(id);
		const leaf = stack[0].callFrame;
		if (IDLE.has(leaf.functionName)) continue;
		busy += micros;
		add(self, frameName(leaf), micros);
		for (const name of new Set(stack.filter((node) => N8N_CODE.test(node.callFrame.url)).map((node) => frameName(node.callFrame)))) {
			add(inclusive, name, micros);
		}
		const outermostEngine = stack.reduce((found, node, index) => (EXPRESSION_ENGINE.test(node.callFrame.url) ? index : found), -1);
		if (outermostEngine >= 0) {
			const caller = stack.slice(outermostEngine + 1).find((node) => !/node_modules\/n8n-workflow\//.test(node.callFrame.url));
			add(expressionsBy, caller ? frameName(caller.callFrame) : '(no caller)', micros);
		}
		const innermostOurs = stack.findIndex((node) => OUR_CODE.test(node.callFrame.url));
		if (innermostOurs < 0) continue;
		underOurs += micros;
		if (innermostOurs === 0) ours += micros;
		else add(calledByOurCode, frameName(stack[innermostOurs - 1].callFrame), micros);
	}
	const perRequest = (/** @type {number} */ micros) => Number((micros / 1000 / options.requests).toFixed(2));
	const ranked = (/** @type {Map<string, number>} */ map) =>
		[...map.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([frame, micros]) => ({ frame, ms_per_request: perRequest(micros), share_of_busy: Number((micros / busy).toFixed(3)) }));
	return {
		requests: options.requests,
		window_s: Number(((to - from) / 1e6).toFixed(1)),
		busy_ms_per_request: perRequest(busy),
		our_code_ms_per_request: perRequest(ours),
		called_synchronously_by_our_code_ms_per_request: perRequest(underOurs - ours),
		everything_else_ms_per_request: perRequest(busy - underOurs),
		calls_from_our_code: ranked(calledByOurCode),
		expression_engine_by_caller: ranked(expressionsBy),
		n8n_functions_inclusive: ranked(inclusive),
		top_self_time: ranked(self),
	};
}

module.exports = { summarizeWebhookProfile };
