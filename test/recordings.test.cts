import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { triggerByClass } from './helpers/triggers.cjs';
import { deliver, encrypted } from './helpers/webhook.cjs';

const inboundCalls = triggerByClass('AirudderInboundCallSuccessTrigger');
const dialer = triggerByClass('AirudderPredictiveDialerTrigger');
const workflowCalls = triggerByClass('AirudderWorkflowCallCompletedTrigger');

/** A recording server on 127.0.0.1 that misbehaves on request, and notes when each request came. */
const AUDIO = Buffer.from(Array.from({ length: 4096 }, (_, index) => index % 251));
const requests: Array<{ path: string; at: number }> = [];
let server: Server;
let base: string;

beforeAll(async () => {
	server = createServer((request, response) => {
		const path = request.url ?? '';
		requests.push({ path, at: Date.now() });
		if (path.startsWith('/audio/')) {
			response.writeHead(200, { 'Content-Type': 'audio/mpeg', 'Content-Length': AUDIO.length });
			response.end(AUDIO);
		} else if (path === '/declared-too-large.wav') {
			response.writeHead(200, { 'Content-Type': 'audio/wav', 'Content-Length': 3 * 1024 * 1024 });
			response.write(Buffer.alloc(1024));
		} else if (path === '/streamed-too-large.wav') {
			response.writeHead(200, { 'Content-Type': 'audio/wav' });
			const chunk = Buffer.alloc(64 * 1024);
			let sent = 0;
			const push = () => {
				while (sent < 3 * 1024 * 1024) {
					sent += chunk.length;
					if (!response.write(chunk)) return void response.once('drain', push);
				}
				response.end();
			};
			push();
		} else if (path === '/slow.mp3') {
			setTimeout(() => response.end(AUDIO), 5000).unref();
		} else {
			response.writeHead(404).end('no such recording');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});

const downloading = (options: IDataObject = {}) => ({ additionalOptions: { downloadRecordings: true, ...options } });

function pdsCallback(recLink: unknown): string {
	const sample = dialer.definition.sample as { type: string; body: IDataObject };
	return JSON.stringify({ ...sample, body: { ...sample.body, recLink } });
}

function inboundCallback(links: string[]): string {
	const sample = inboundCalls.definition.sample as { count: number; data: IDataObject[] };
	const entry = sample.data[0];
	return JSON.stringify({
		count: links.length,
		data: links.map((voice_url, index) => ({ ...entry, callid: `call-${index}`, voice_url })),
	});
}

describe('Download Recordings (opt-in)', () => {
	const pds = dialer.node;

	it('downloads nothing when the option is off, and leaves the recording columns null', async () => {
		const run = await deliver(pds, { body: pdsCallback(`${base}/audio/off.mp3`) });
		expect(run.main[0]).toMatchObject({ recording_status: null, recording_error: null });
		expect(run.mainItems[0].binary).toBeUndefined();
		expect(requests.some(({ path }) => path === '/audio/off.mp3')).toBe(false);
	});

	it('puts the PDS recLink recording into binary "recording", after answering AIRudder', async () => {
		const run = await deliver(pds, { body: pdsCallback(`${base}/audio/pds-1.mp3`), parameters: downloading() });
		expect(run.status).toBe(200);
		expect(run.result.noWebhookResponse).toBe(true);
		const [item] = run.mainItems;
		expect(item.json).toMatchObject({ callid: 'pds-7e2a9c41b0', recording_status: 'downloaded', recording_error: '' });
		expect(item.binary?.recording).toMatchObject({ fileName: 'pds-1.mp3', mimeType: 'audio/mpeg' });
		expect(Buffer.from(item.binary!.recording.data, 'base64')).toEqual(AUDIO);
		const fetched = requests.find(({ path }) => path === '/audio/pds-1.mp3');
		expect(run.answeredAt).toBeLessThanOrEqual(fetched!.at);
	});

	it('downloads an encrypted callback’s recording the same way', async () => {
		const run = await deliver(pds, { ...encrypted(pdsCallback(`${base}/audio/pds-aes.mp3`)), parameters: downloading() });
		expect(run.main[0].recording_status).toBe('downloaded');
	});

	it('downloads each call of an inbound batch (voice_url) into its own item, in order', async () => {
		const links = Array.from({ length: 10 }, (_, index) => `${base}/audio/inbound-${index}.mp3`);
		const run = await deliver(inboundCalls.node, { body: inboundCallback(links), parameters: downloading() });
		expect(run.main.map((item) => item.callid)).toEqual(links.map((_, index) => `call-${index}`));
		expect(run.mainItems.map((item) => item.binary?.recording.fileName)).toEqual(links.map((_, index) => `inbound-${index}.mp3`));
	});

	it('reads the link from the field the user names', async () => {
		const body = pdsCallback('');
		const withOtherField = JSON.stringify({ ...JSON.parse(body), body: { ...JSON.parse(body).body, audio: `${base}/audio/named.mp3` } });
		const run = await deliver(pds, { body: withOtherField, parameters: downloading({ recordingLinkField: 'audio' }) });
		expect(run.main[0].recording_status).toBe('downloaded');
	});

	describe('the workflow call-completed callback, which has no documented recording field', () => {
		const { node } = workflowCalls;
		const sample = workflowCalls.definition.sample as IDataObject & { details: IDataObject[] };
		const withDetail = (extra: IDataObject) => JSON.stringify({ ...sample, details: [{ ...sample.details[0], ...extra }] });

		it('finds a field whose name says recording', async () => {
			const run = await deliver(node, { body: withDetail({ record_url: `${base}/audio/wf.mp3` }), parameters: downloading() });
			expect(run.main[0]).toMatchObject({ recording_status: 'downloaded', recording_error: '' });
		});

		it('labels calls without any link "no_link" and keeps them', async () => {
			const run = await deliver(node, { body: withDetail({}), parameters: downloading() });
			expect(run.main[0]).toMatchObject({ call_id: sample.details[0].call_id, recording_status: 'no_link', recording_error: '' });
		});

		it('does not download in the One Item per Callback output, where calls stay grouped', async () => {
			const run = await deliver(node, {
				body: withDetail({ record_url: `${base}/audio/grouped.mp3` }),
				parameters: { outputMode: 'perCallback', ...downloading() },
			});
			expect(run.main[0]).not.toHaveProperty('recording_status');
			expect(requests.some(({ path }) => path === '/audio/grouped.mp3')).toBe(false);
		});
	});

	describe('a failed download keeps the item and says why', () => {
		const failures: Array<[string, () => unknown, IDataObject, RegExp]> = [
			['the server answers 404', () => `${base}/missing.mp3`, {}, /could not be downloaded from 127\.0\.0\.1:\d+ \(HTTP 404\)|status code 404/],
			['the declared size is over the limit', () => `${base}/declared-too-large.wav`, { recordingMaxSizeMb: 1 }, /over the limit of 1 MB .*it is 3 MB/],
			['the streamed size passes the limit', () => `${base}/streamed-too-large.wav`, { recordingMaxSizeMb: 1 }, /over the limit of 1 MB \(Options → Recording Max Size\)$/],
			['it takes longer than the timeout', () => `${base}/slow.mp3`, { recordingTimeoutSeconds: 1 }, /within the time limit \(Options → Recording Timeout\)/],
			['the link is not http(s)', () => 'ftp://127.0.0.1/a.mp3', {}, /only http and https/],
			['the link is not a URL', () => 'http://', {}, /is not a URL/],
			['nothing listens there', () => 'http://127.0.0.1:1/a.mp3', {}, /could not be downloaded from 127\.0\.0\.1:1/],
		];

		it.each(failures)('when %s', async (_, link, options, reason) => {
			const run = await deliver(pds, { body: pdsCallback(link()), parameters: downloading(options) });
			expect(run.status).toBe(200);
			expect(run.main).toHaveLength(1);
			expect(run.main[0]).toMatchObject({ callid: 'pds-7e2a9c41b0', recording_status: 'failed' });
			expect(run.main[0].recording_error).toMatch(reason);
			expect(run.mainItems[0].binary).toBeUndefined();
		});

		it('assumes https for a link without a scheme, as AIRudder writes voice_url', async () => {
			const hostAndPath = `${base.replace('http://', '')}/audio/no-scheme.mp3`;
			const run = await deliver(inboundCalls.node, { body: inboundCallback([hostAndPath]), parameters: downloading() });
			// The local server speaks plain http, so the https attempt fails: proof of the scheme used.
			expect(run.main[0]).toMatchObject({ voice_url: hostAndPath, recording_status: 'failed' });
			expect(run.main[0].recording_error).toMatch(/could not be downloaded from 127\.0\.0\.1/);
		});
	});
});
