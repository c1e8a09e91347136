// @ts-check
/**
 * n8n's internal REST API, as its editor calls it: signed in as the local owner, whom the first
 * sign-in creates, with the session cookie n8n sets.
 */
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

/** Documented in README.md; only ever used on 127.0.0.1. */
const LOCAL_OWNER = {
	email: 'owner@airudder.local',
	firstName: 'Local',
	lastName: 'Owner',
	password: 'AIRudder-local-1',
};

/** A minute of 503s, two seconds apart, before a REST call gives up. */
const DATABASE_BUSY_ATTEMPTS = 30;

class N8nClient {
	/**
	 * @param {string} baseUrl
	 * @param {string} runtimeDir the n8n install, whose `flatted` reads the run data it stores
	 */
	constructor(baseUrl, runtimeDir) {
		this.baseUrl = baseUrl;
		this.runtimeDir = runtimeDir;
		/** @type {string | undefined} */
		this.cookie = undefined;
	}

	/**
	 * Calls n8n's internal REST API as the local owner, creating the owner on first use.
	 * @param {string} method
	 * @param {string} route below /rest
	 * @param {unknown} [body]
	 */
	async rest(method, route, body) {
		if (!this.cookie) await this.signIn();
		for (let attempt = 1; ; attempt++) {
			const response = await fetch(`${this.baseUrl}/rest${route}`, {
				method,
				headers: { 'content-type': 'application/json', cookie: this.cookie ?? '', 'browser-id': 'airudder-tests' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await response.text();
			// Under a burst, n8n answers 503 "Database is not ready!" while its database health check lags.
			if (response.status === 503 && attempt < DATABASE_BUSY_ATTEMPTS) {
				await sleep(2000);
				continue;
			}
			if (!response.ok) throw new Error(`${method} /rest${route}: ${response.status} ${text.slice(0, 500)}`);
			return text ? JSON.parse(text).data : undefined;
		}
	}

	/**
	 * Id of the workflow's newest recorded execution, or 0.
	 * @param {string} workflowId
	 * @returns {Promise<number>}
	 */
	async latestExecutionId(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const { results } = await this.rest('GET', `/executions?filter=${filter}&limit=1`);
		return results.length > 0 ? Number(results[0].id) : 0;
	}

	/**
	 * Id of the newest execution of any workflow, or 0.
	 * @returns {Promise<number>}
	 */
	async newestExecutionId() {
		const { results } = await this.rest('GET', '/executions?limit=1');
		return results.length > 0 ? Number(results[0].id) : 0;
	}

	/**
	 * Waits for the first execution of the workflow newer than `afterId` to finish.
	 * @param {string} workflowId
	 * @param {number} afterId
	 * @param {number} [timeoutMs]
	 */
	async waitForExecutionAfter(workflowId, afterId, timeoutMs = 30_000) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const deadline = Date.now() + timeoutMs;
		/** @type {{ id: string, status: string } | undefined} */
		let unfinished;
		while (Date.now() < deadline) {
			const { results } = await this.rest('GET', `/executions?filter=${filter}&limit=20`);
			const next = results
				.filter((/** @type {{ id: string }} */ execution) => Number(execution.id) > afterId)
				.sort((/** @type {{ id: string }} */ a, /** @type {{ id: string }} */ b) => Number(a.id) - Number(b.id))[0];
			const execution = next && next.status !== 'running' && next.status !== 'new' ? await this.execution(next.id) : undefined;
			if (execution) return execution;
			unfinished = next;
			await sleep(200);
		}
		// Whether n8n never started one or started one that did not finish points to different causes.
		const seen = unfinished ? `execution #${unfinished.id} was still "${unfinished.status}"` : 'n8n started none';
		throw new Error(`No finished execution of workflow ${workflowId} after #${afterId} within ${timeoutMs} ms: ${seen}`);
	}

	/**
	 * An execution with its run data, as n8n recorded it. `queued` holds the input of nodes that
	 * never ran: in queue mode, the trigger's items wait there until a worker takes the job.
	 * Undefined when there is no such execution (n8n answers 200 without data). `error` is the
	 * message of the error that ended the whole execution, if one did.
	 * @param {string | number} id
	 * @returns {Promise<{ id: string, workflowId: string, status: string, startedAt: string, stoppedAt: string | null, error: string | null, runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown>, binary?: Record<string, { fileName?: string, mimeType?: string }> }> | null> } }>>, queued: Record<string, Array<Array<{ json: Record<string, unknown> }> | null>> } | undefined>}
	 */
	async execution(id) {
		const execution = await this.rest('GET', `/executions/${id}`);
		if (!execution) return undefined;
		// n8n stores run data in the "flatted" format (JSON with shared references).
		const flatted = require(path.join(this.runtimeDir, 'node_modules', 'flatted'));
		const data = typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
		const stack = /** @type {Array<{ node: { name: string }, data: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>} */ (
			data.executionData?.nodeExecutionStack ?? []
		);
		return {
			id: String(execution.id),
			workflowId: String(execution.workflowId),
			status: execution.status,
			startedAt: execution.startedAt,
			stoppedAt: execution.stoppedAt ?? null,
			error: data.resultData.error?.message ?? null,
			runData: data.resultData.runData,
			queued: Object.fromEntries(stack.map((entry) => [entry.node.name, entry.data.main])),
		};
	}

	async signIn() {
		const post = (/** @type {string} */ route, /** @type {object} */ body) =>
			fetch(`${this.baseUrl}/rest${route}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'browser-id': 'airudder-tests' },
				body: JSON.stringify(body),
			});
		let response = await post('/owner/setup', LOCAL_OWNER);
		if (!response.ok) {
			response = await post('/login', { emailOrLdapLoginId: LOCAL_OWNER.email, email: LOCAL_OWNER.email, password: LOCAL_OWNER.password });
		}
		if (!response.ok) throw new Error(`Could not sign in to n8n: ${response.status} ${await response.text()}`);
		const setCookie = response.headers.get('set-cookie') ?? '';
		this.cookie = setCookie.split(';')[0];
	}
}

module.exports = { LOCAL_OWNER, N8nClient };
