/**
 * `npm run profile` charges each CPU sample of n8n serving callbacks to our code, to what our
 * code calls, or to the rest of n8n, and names who made the expression engine run.
 */
import { summarizeWebhookProfile } from '../scripts/performance/lib/cpuProfile';

const N8N = 'file:///cache/n8n-2.41.1/node_modules/n8n/dist/webhooks/webhook-helpers.js';
const CORE = 'file:///cache/n8n-2.41.1/node_modules/n8n-core/dist/execution-engine/node-execution-context/node-execution-context.js';
const ENGINE = 'file:///cache/n8n-2.41.1/node_modules/n8n-workflow/dist/cjs/workflow-expression.js';
const OURS = 'file:///user/.n8n/nodes/node_modules/n8n-nodes-airudder/dist/nodes/Airudder/trigger/webhook.js';

const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
	id,
	callFrame: { functionName, url, lineNumber: 0 },
	children,
});

/** root → executeWebhook (n8n) → handleCallback (ours) → getNodeParameter (n8n-core) → getParameterValue (engine); idle beside. */
const profile = {
	nodes: [
		frame(1, '(root)', '', [2, 6, 7]),
		frame(2, 'executeWebhook', N8N, [3, 8]),
		frame(3, 'handleCallback', OURS, [4]),
		frame(4, 'getNodeParameter', CORE, [5]),
		frame(5, 'getParameterValue', ENGINE),
		frame(6, '(idle)', ''),
		frame(7, 'startUp', N8N),
		frame(8, 'parseRequestBody', N8N, [9]),
		frame(9, 'getSimpleParameterValue', ENGINE),
	],
	startTime: 0,
	// Each sample lasts until the next one: 100 ms apart.
	// An idle moment (6) falls between two requests' samples, inside the window.
	samples: [7, 3, 4, 6, 5, 9, 9, 2, 7],
	timeDeltas: [0, ...Array(8).fill(100_000)],
};

describe('the CPU profile summary of `npm run profile`', () => {
	const summary = summarizeWebhookProfile(profile, { requests: 2 });

	it('counts only the samples from the first to the last one inside a webhook request, without idle time', () => {
		expect(summary.window_s).toBe(0.6);
		expect(summary.busy_ms_per_request).toBe(300);
	});

	it('splits the busy time between our code, what it calls, and everything else', () => {
		expect(summary.our_code_ms_per_request).toBe(50);
		expect(summary.called_synchronously_by_our_code_ms_per_request).toBe(100);
		expect(summary.everything_else_ms_per_request).toBe(150);
		expect(summary.calls_from_our_code).toEqual([{ frame: expect.stringMatching(/^getNodeParameter n8n-core\//), ms_per_request: 100, share_of_busy: 0.333 }]);
	});

	it('names who made the expression engine run: n8n’s body parsing, or our parameter read', () => {
		expect(summary.expression_engine_by_caller.map(({ frame: name, ms_per_request }) => [name.split(' ')[0], ms_per_request])).toEqual([
			['parseRequestBody', 100],
			['getNodeParameter', 50],
		]);
	});

	it('refuses a profile taken while n8n served no webhook', () => {
		expect(() => summarizeWebhookProfile({ ...profile, samples: [7, 6, 7] }, { requests: 1 })).toThrow(/holds no webhook request/);
	});
});
