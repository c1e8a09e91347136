/**
 * Every trigger inside a real n8n, installed from the packed tarball the way n8n's
 * community-package installer does, on each n8n version of scripts/lib/e2eVersions.js. Callbacks
 * go over HTTP; the results are read back from n8n's own execution records.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

import { outputSchemaOf } from '../../nodes/Airudder/output/outputSchema';
import { REFUSALS } from '../../nodes/Airudder/receive/refusals';
import { buildCallbackRequest, DEMO_SECRETS, postCallback, withToken } from '../../scripts/lib/callbackRequest';
import { dataTableRows } from '../../scripts/lib/dataTables';
import { minimalTriggerWorkflow } from '../../scripts/lib/demo';
import { e2eVersions } from '../../scripts/lib/e2eVersions';
import type { N8nInstance } from '../../scripts/lib/n8nInstance';
import { stopTrackedOnExit } from '../../scripts/lib/processes';
import { cacheRoot, compareVersions } from '../../scripts/lib/runtime';
import { ACCOUNT_TIME_ZONE, launchSuiteN8n, SERVES_COMMUNITY_SCHEMAS_SINCE, type SuiteN8n } from '../helpers/suiteN8n.cjs';
import { expectedColumnsOf, triggerByClass, triggersUnderTest } from '../helpers/triggers.cjs';
import { deliver } from '../helpers/webhook.cjs';

// Nothing this suite starts outlives the jest run, even when a failure skips its own stopping.
stopTrackedOnExit();

const WRONG_AES_KEY = 'not-the-demo-key';
const SIGNED = { scheme: DEMO_SECRETS.signatureScheme, signingKey: DEMO_SECRETS.signingSecret };
/** How long a rejected callback gets to (wrongly) show up as an execution. */
const SETTLE_MS = 1500;

type SendOptions = Parameters<typeof buildCallbackRequest>[1];

const triggers = triggersUnderTest();
const recordings = minimalTriggerWorkflow('AirudderRecordings', 'predictive-dialer-status', {
	additionalOptions: { downloadRecordings: true, recordingMaxSizeMb: 1 },
});
const AUDIO = Buffer.alloc(200 * 1024, 7);

/** The demo secrets without a signature or URL token; a second credential adds only a URL token. */
const OPEN_SECRETS = { ...DEMO_SECRETS, signatureScheme: 'none', signingSecret: '', urlToken: '' };
const OPEN_TOKEN = 'token-set-after-the-fact';
const openCredential = { id: 'AirudderOpenCred', name: 'AIRudder, checking nothing' };
const tokenCredential = { id: 'AirudderTokenCred', name: 'AIRudder, the same with a URL token' };
const uncheckedCalls = minimalTriggerWorkflow('AirudderChecksNothing', 'workflow-call-completed', {}, { credential: openCredential });
const tokenCalls = minimalTriggerWorkflow('AirudderChecksToken', 'workflow-call-completed', {}, { credential: tokenCredential });
const rawCalls = minimalTriggerWorkflow('AirudderRawCalls', 'workflow-call-completed', { simplify: false });

/** A Workflow Call Completed callback whose keys include __proto__ and constructor, at the top and in a call. */
function hostileCallback(sample: object): string {
	const text = JSON.stringify(sample);
	return text
		.replace('{', '{"constructor":{"prototype":{"x":"y"}},"__proto__":{"top":1},')
		.replace('"callee"', '"__proto__":{"isAdmin":true},"toString":"kept","callee"');
}

describe.each(e2eVersions())('inside a real n8n %s', (version) => {
	let local: SuiteN8n;
	let instance: N8nInstance;

	beforeAll(async () => {
		local = await launchSuiteN8n('n8n', version, {
			credentials: [
				{ ...openCredential, type: 'airudderCallbackApi', data: OPEN_SECRETS },
				{ ...tokenCredential, type: 'airudderCallbackApi', data: { ...OPEN_SECRETS, urlToken: OPEN_TOKEN } },
			],
			workflows: [recordings.workflow, uncheckedCalls.workflow, tokenCalls.workflow, rawCalls.workflow],
		});
		instance = local.instance;
	}, 600_000);

	afterAll(async () => {
		await local?.instance.stop();
	});

	it('offers every AIRudder trigger and the credential to the editor', async () => {
		const loaded = await fetchTypes(instance, 'nodes');
		for (const { trigger } of local.workflows) {
			expect(loaded).toContainEqual(expect.objectContaining({ name: trigger.nodeType, displayName: trigger.definition.displayName }));
		}
		expect(await fetchTypes(instance, 'credentials')).toContainEqual(expect.objectContaining({ name: 'airudderCallbackApi' }));
	});

	if (compareVersions(version, SERVES_COMMUNITY_SCHEMAS_SINCE) >= 0) {
		it('serves each trigger’s output schema to the editor’s schema preview', async () => {
			for (const { trigger } of local.workflows) {
				const response = await fetch(`${instance.baseUrl}/schemas/${trigger.nodeType}/1.0.0.json`, { headers: { cookie: instance.cookie ?? '' } });
				expect(response.status).toBe(200);
				const served = (await response.json()) as { properties: Record<string, unknown> };
				expect(Object.keys(served.properties)).toEqual(expectedColumnsOf(trigger.definition.webhookPath).columns);
				expect(served).toEqual(outputSchemaOf(trigger.definition));
			}
		});
	} else {
		it(`cannot serve output schemas to the editor (n8n before ${SERVES_COMMUNITY_SCHEMAS_SINCE} sends no file from ~/.n8n), as docs/contributing.md says`, async () => {
			const [{ trigger }] = local.workflows;
			const response = await fetch(`${instance.baseUrl}/schemas/${trigger.nodeType}/1.0.0.json`, { headers: { cookie: instance.cookie ?? '' } });
			expect(response.status).toBe(404);
		});
	}

	describe.each(triggers)('$className', ({ node, definition, fixtures }) => {
		const demo = () => {
			const found = local.workflows.find(({ trigger }) => trigger.definition.webhookPath === definition.webhookPath);
			if (!found) throw new Error(`npm start has no demo workflow for ${definition.webhookPath}`);
			return found;
		};

		async function send(payloadText: string, options: SendOptions, token: string = DEMO_SECRETS.urlToken) {
			const { workflow, url } = demo();
			const before = await instance.latestExecutionId(workflow.id);
			const response = await postCallback(withToken(url, token), buildCallbackRequest(payloadText, options));
			return { before, response };
		}

		async function outputsAfter(before: number) {
			const execution = await instance.waitForExecutionAfter(demo().workflow.id, before);
			expect(execution.status).toBe('success');
			const [main, invalid] = execution.runData[definition.displayName][0].data!.main;
			return { execution, main: (main ?? []).map((item) => item.json), invalid: (invalid ?? []).map((item) => item.json) };
		}

		async function expectRefusedWithoutExecution(sent: Awaited<ReturnType<typeof send>>, status: number) {
			expect(sent.response.status).toBe(status);
			expect(JSON.parse(sent.response.body)).toEqual({ error: expect.any(String) });
			await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
			expect(await instance.latestExecutionId(demo().workflow.id)).toBe(sent.before);
		}

		it('turns its plain, signed sample into the same items as the node alone, and the demo keeps one Data table row per item', async () => {
			const sample = JSON.stringify(definition.sample, null, 2);
			const expected = (await deliver(node, { body: sample, timezone: ACCOUNT_TIME_ZONE })).main;
			const sent = await send(sample, SIGNED);
			expect(sent.response).toEqual({ status: 200, body: '{"message":"Workflow was started"}' });

			const { main, invalid } = await outputsAfter(sent.before);
			expect(main).toEqual(expected);
			expect(invalid).toEqual([]);
			const rows = await dataTableRows(instance, local.projectId, demo().tableId);
			expect(expected.map((item) => rows.filter((row) => row.delivery_key === item.delivery_key).length)).toEqual(expected.map(() => 1));
		});

		it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
			'turns the vendor example %s, AES-encrypted and signed, into exactly the expected items',
			async (_name, fixture) => {
				const sent = await send(fixture.body, { ...SIGNED, encrypt: true, aesKey: DEMO_SECRETS.aesSecretKey });
				expect(sent.response.status).toBe(200);
				const { main, invalid } = await outputsAfter(sent.before);
				expect(main).toEqual(fixture.expected);
				expect(invalid).toEqual([]);
			},
		);

		it('refuses a forged signature with 401 and records no execution', async () => {
			const forged = { ...SIGNED, signingKey: 'a-key-that-is-not-ours' };
			await expectRefusedWithoutExecution(await send(JSON.stringify(definition.sample), forged), 401);
		});

		it('refuses a wrong or missing URL token with 401 and records no execution', async () => {
			await expectRefusedWithoutExecution(await send(JSON.stringify(definition.sample), SIGNED, 'guessed-token'), 401);
			await expectRefusedWithoutExecution(await send(JSON.stringify(definition.sample), SIGNED, ''), 401);
		});

		it('answers an undecryptable body with 200 and keeps it, raw, on the Invalid output', async () => {
			const sample = JSON.stringify(definition.sample);
			const sent = await send(sample, { ...SIGNED, encrypt: true, aesKey: WRONG_AES_KEY });
			expect(sent.response.status).toBe(200);

			const { main, invalid } = await outputsAfter(sent.before);
			expect(main).toEqual([]);
			expect(invalid).toHaveLength(1);
			expect(invalid[0]).toMatchObject({
				stage: 'integrity',
				reason: expect.stringMatching(/AES Key is probably wrong/),
				callbackType: definition.displayName,
				encrypted: true,
				rawBody: buildCallbackRequest(sample, { encrypt: true, aesKey: WRONG_AES_KEY }).body,
				rawBodyEncoding: 'utf8',
			});
		});
	});

	describe('secure by default', () => {
		async function post(workflow: typeof uncheckedCalls, token: string) {
			const before = await instance.latestExecutionId(workflow.workflow.id);
			const url = withToken(`${instance.baseUrl}/webhook/${workflow.path}`, token);
			const response = await postCallback(url, buildCallbackRequest(JSON.stringify(uncheckedCalls.definition.sample), { scheme: 'none' }));
			return { before, response };
		}

		it('refuses a callback to a published trigger that checks nothing, with 401, the three fixes and no execution', async () => {
			const sent = await post(uncheckedCalls, '');
			expect(sent.response.status).toBe(401);
			expect(JSON.parse(sent.response.body)).toEqual({ error: REFUSALS.checksNothing });
			await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
			expect(await instance.latestExecutionId(uncheckedCalls.workflow.id)).toBe(sent.before);
		});

		it('accepts it when the same credential has a URL token and the URL carries it', async () => {
			const sent = await post(tokenCalls, OPEN_TOKEN);
			expect(sent.response).toEqual({ status: 200, body: '{"message":"Workflow was started"}' });
			const execution = await instance.waitForExecutionAfter(tokenCalls.workflow.id, sent.before);
			expect(execution.status).toBe('success');
			expect(execution.runData[tokenCalls.definition.displayName][0].data!.main[0]!.length).toBeGreaterThan(0);
		});
	});

	describe('keys are data: __proto__, constructor and prototype arrive as fields named field_<key>', () => {
		const { node, definition } = triggerByClass('AirudderWorkflowCallCompletedTrigger');
		const payload = hostileCallback(definition.sample);

		/** The trigger's items in the execution a hostile callback to `url` starts, as n8n stored them. */
		async function triggerItemsAfterPosting(workflowId: string, url: string) {
			const before = await instance.latestExecutionId(workflowId);
			const response = await postCallback(withToken(url, DEMO_SECRETS.urlToken), buildCallbackRequest(payload, SIGNED));
			expect(response.status).toBe(200);
			const execution = await instance.waitForExecutionAfter(workflowId, before);
			expect(execution.status).toBe('success');
			return execution.runData[definition.displayName][0].data!.main[0]!.map((item) => item.json);
		}

		it('with Simplify on: prefixed columns in the execution, as the node alone gives them', async () => {
			const { workflow, url } = local.workflows.find(({ trigger }) => trigger.definition.webhookPath === 'workflow-call-completed')!;
			const main = await triggerItemsAfterPosting(workflow.id, url);
			expect(main).toEqual((await deliver(node, { body: payload, timezone: ACCOUNT_TIME_ZONE })).main);
			// The first call's own __proto__ field stands in for the envelope's, as any field a call shares with its envelope.
			expect(main[0]).toMatchObject({ field_constructor_field_prototype_x: 'y', field___proto___isAdmin: true, toString: 'kept' });
			expect(main[1]).toMatchObject({ field_constructor_field_prototype_x: 'y', field___proto___top: 1, field___proto___isAdmin: null });
			for (const item of main) {
				expect(Object.keys(item).filter((column) => ['isAdmin', 'top', '__proto__', 'constructor'].includes(column))).toEqual([]);
			}
		});

		it('with Simplify off: renamed fields in the execution, which n8n keeps as they are', async () => {
			const main = await triggerItemsAfterPosting(rawCalls.workflow.id, `${instance.baseUrl}/webhook/${rawCalls.path}`);
			expect(main[0]).toMatchObject({ field_constructor: { field_prototype: { x: 'y' } }, field___proto__: { isAdmin: true } });
		});
	});

	describe('Download Recordings, through n8n’s own request and binary-data helpers', () => {
		let server: Server;
		let base: string;

		beforeAll(async () => {
			server = createServer((request, response) => {
				if (request.url === '/audio/pds.mp3') response.writeHead(200, { 'Content-Type': 'audio/mpeg' }).end(AUDIO);
				else response.writeHead(200, { 'Content-Type': 'audio/wav', 'Content-Length': 5 * 1024 * 1024 }).end(Buffer.alloc(1024));
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		});

		afterAll(async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		});

		async function deliverPds(recLink: string) {
			const sample = recordings.definition.sample as { body: object };
			const before = await instance.latestExecutionId(recordings.workflow.id);
			const payload = JSON.stringify({ ...sample, body: { ...sample.body, recLink } });
			const response = await postCallback(withToken(`${instance.baseUrl}/webhook/${recordings.path}`, DEMO_SECRETS.urlToken), buildCallbackRequest(payload, SIGNED));
			expect(response).toEqual({ status: 200, body: '{"message":"Workflow was started"}' });
			const execution = await instance.waitForExecutionAfter(recordings.workflow.id, before);
			expect(execution.status).toBe('success');
			return execution.runData[recordings.definition.displayName][0].data!.main[0]!;
		}

		it('stores the recording as the item’s binary "recording"', async () => {
			const [item] = await deliverPds(`${base}/audio/pds.mp3`);
			expect(item.json).toMatchObject({ callid: 'pds-7e2a9c41b0', recording_status: 'downloaded', recording_error: '' });
			expect(item.binary?.recording).toMatchObject({ fileName: 'pds.mp3', mimeType: 'audio/mpeg' });
		});

		it('keeps the call when the recording is over the size limit, saying so', async () => {
			const items = await deliverPds(`${base}/big.wav`);
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({ callid: 'pds-7e2a9c41b0', recording_status: 'failed' });
			expect(items[0].json.recording_error).toMatch(/over the limit of 1 MB/);
			expect(items[0].binary).toBeUndefined();
		});
	});

	it('wrote no warning or error about our package in n8n’s log', () => {
		const log = instance.log();
		expect(log).toContain('Editor is now accessible');
		const suspicious = log
			.split('\n')
			// n8n's own stack traces name its install folder, which is inside our cache folder.
			.map((line) => line.replaceAll(cacheRoot(), '<cache>'))
			.filter(
				(line) =>
					(/airudder/i.test(line) && /warn|error|fail|deprecat|unknown|unrecognized/i.test(line)) ||
					/community package|could not be loaded|failed to load|unrecognized node type/i.test(line),
			);
		expect(suspicious).toEqual([]);
	});
});

/** The node and credential types n8n serves to its editor. */
async function fetchTypes(instance: N8nInstance, kind: 'nodes' | 'credentials') {
	const response = await fetch(`${instance.baseUrl}/types/${kind}.json`, { headers: { cookie: instance.cookie ?? '' } });
	expect(response.status).toBe(200);
	return (await response.json()) as Array<{ name: string; displayName: string }>;
}
