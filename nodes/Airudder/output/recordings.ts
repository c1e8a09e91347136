import type { IBinaryData, IDataObject, IHttpRequestOptions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { PARALLEL_DOWNLOADS } from '../limits';
import { ownValue } from '../values';
import { RECORDING_ERROR_COLUMN, RECORDING_STATUS_COLUMN } from './outputSchema';

export const RECORDING_BINARY_PROPERTY = 'recording';

/**
 * Field names that carry a recording link in AIRudder's published callbacks (`recLink`,
 * `voice_url`) and in the ones where the field is not published: matched when no field is named.
 */
const RECORDING_FIELD_NAME = /rec(ord(ing)?)?_?(url|link|file)|voice_?url|audio_?url/i;

export interface RecordingSettings {
	/** The item field holding the link; empty means "the first field whose name says recording". */
	linkField: string;
	maxBytes: number;
	timeoutMs: number;
}

type RecordingStatus = 'downloaded' | 'no_link' | 'failed';

/**
 * The link as a URL, or why it cannot be downloaded; undefined when the item has none. AIRudder
 * sometimes leaves out the scheme, and then https is meant.
 */
function recordingUrl(item: IDataObject, linkField: string): URL | { problem: string } | undefined {
	const field = linkField || Object.keys(item).find((name) => RECORDING_FIELD_NAME.test(name) && typeof item[name] === 'string');
	const link = field === undefined ? undefined : ownValue(item, field);
	if (typeof link !== 'string' || link.trim() === '') return undefined;
	const text = link.trim();
	let url: URL;
	try {
		url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
	} catch {
		return { problem: `The recording link "${text}" is not a URL` };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return { problem: `The recording link uses ${url.protocol}; only http and https are downloaded` };
	}
	return url;
}

function fileNameOf(url: URL): string {
	const last = decodeURIComponent(url.pathname.split('/').pop() ?? '');
	return last.includes('.') ? last : `${last || 'recording'}.mp3`;
}

/** Reads the body, stopping as soon as it passes `maxBytes`; undefined when it does. */
async function readLimited(body: AsyncIterable<Buffer | string>, maxBytes: number): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body) {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		size += bytes.length;
		if (size > maxBytes) return undefined;
		chunks.push(bytes);
	}
	return Buffer.concat(chunks);
}

function megabytes(bytes: number): string {
	return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
}

function explain(error: unknown, url: URL, timedOut: boolean): string {
	if (timedOut) return `The recording did not download from ${url.host} within the time limit (Options → Recording Timeout)`;
	const { httpCode, message } = error as { httpCode?: string; message?: string };
	const status = httpCode ? ` (HTTP ${httpCode})` : '';
	return `The recording could not be downloaded from ${url.host}${status}: ${message ?? String(error)}`;
}

/** The recording as n8n binary data, or why it is not there. */
async function download(context: IWebhookFunctions, url: URL, settings: RecordingSettings): Promise<IBinaryData | string> {
	const deadline = AbortSignal.timeout(settings.timeoutMs);
	const tooLarge = `The recording is over the limit of ${megabytes(settings.maxBytes)} (Options → Recording Max Size)`;
	try {
		const request: IHttpRequestOptions = {
			method: 'GET',
			url: url.href,
			encoding: 'stream',
			returnFullResponse: true,
			timeout: settings.timeoutMs,
			abortSignal: deadline,
		};
		const response = (await context.helpers.httpRequest(request)) as {
			body: AsyncIterable<Buffer | string> & { destroy: () => void };
			headers: Record<string, string | undefined>;
		};
		const declared = Number(response.headers['content-length']);
		const bytes = declared > settings.maxBytes ? undefined : await readLimited(response.body, settings.maxBytes);
		if (!bytes) {
			response.body.destroy();
			return declared > settings.maxBytes ? `${tooLarge}: it is ${megabytes(declared)}` : tooLarge;
		}
		const mimeType = response.headers['content-type']?.split(';')[0].trim();
		return await context.helpers.prepareBinaryData(bytes, fileNameOf(url), mimeType || undefined);
	} catch (error) {
		return explain(error, url, deadline.aborted);
	}
}

async function withRecording(
	context: IWebhookFunctions,
	item: IDataObject,
	settings: RecordingSettings,
): Promise<INodeExecutionData> {
	// The call's data matters more than its audio: the item always goes on, saying what happened.
	const labelled = (status: RecordingStatus, error = ''): IDataObject => ({
		...item,
		[RECORDING_STATUS_COLUMN]: status,
		[RECORDING_ERROR_COLUMN]: error,
	});
	const url = recordingUrl(item, settings.linkField);
	if (!url) return { json: labelled('no_link') };
	if (!(url instanceof URL)) return { json: labelled('failed', url.problem) };
	const recording = await download(context, url, settings);
	if (typeof recording === 'string') return { json: labelled('failed', recording) };
	return { json: labelled('downloaded'), binary: { [RECORDING_BINARY_PROPERTY]: recording } };
}

/** Each item with its recording in binary property `recording`, or the reason it has none. */
export async function attachRecordings(
	context: IWebhookFunctions,
	items: IDataObject[],
	settings: RecordingSettings,
): Promise<INodeExecutionData[]> {
	const results: INodeExecutionData[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await withRecording(context, items[index], settings);
		}
	};
	await Promise.all(Array.from({ length: Math.min(PARALLEL_DOWNLOADS, items.length) }, worker));
	return results;
}
