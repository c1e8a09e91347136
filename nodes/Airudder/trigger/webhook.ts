import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { CallbackHeaders, IncomingCallback } from '../receive/callbackRequest';
import { CREDENTIAL_NAME, readCallbackSecrets } from '../receive/callbackCredential';
import type { CallbackDefinition } from '../vocabulary/definition';
import type { ItemPredicate } from '../output/filters';
import { toOutputItems } from '../output/items';
import { receiveCallback } from '../receive/pipeline';
import { attachRecordings } from '../output/recordings';
import { skipRepeatedDeliveries, type DeliveryMemory } from '../output/repeatedDeliveries';
import { readTriggerSettings } from './settings';

/** n8n's request: `readRawBody` fills `rawBody` with the bytes as received (after content-encoding). */
type RawBodyRequest = ReturnType<IWebhookFunctions['getRequestObject']> & {
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
};

/**
 * Deliveries seen live in the node's workflow static data, which n8n keeps in its database, so
 * the memory survives restarts and is shared by queue-mode webhook processors.
 */
function firstDeliveryCheck(context: IWebhookFunctions, definition: CallbackDefinition, rememberHours: number): ItemPredicate {
	const staticData = context.getWorkflowStaticData('node');
	if (typeof staticData.deliveries !== 'object' || staticData.deliveries === null) staticData.deliveries = {};
	return skipRepeatedDeliveries(definition, staticData.deliveries as DeliveryMemory, new Date(), rememberHours);
}

/** Answers the request itself, so n8n sends nothing more. */
function answer(context: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	context.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/** n8n's request as the receiving pipeline reads it; the body is read only when asked for. */
function incomingCallbackOf(context: IWebhookFunctions, receivedAt: Date): IncomingCallback {
	const request = context.getRequestObject() as RawBodyRequest;
	return {
		headers: context.getHeaderData() as CallbackHeaders,
		query: context.getQueryData() as Record<string, unknown>,
		ip: request.ip,
		receivedAt,
		readBody: async () => {
			if (request.rawBody === undefined) await request.readRawBody?.();
			return { rawBody: request.rawBody, parsedBody: context.getBodyData() };
		},
	};
}

/** One AIRudder callback, from n8n's request to the trigger's two outputs. */
export async function handleCallback(this: IWebhookFunctions, definition: CallbackDefinition): Promise<IWebhookResponseData> {
	const settings = readTriggerSettings(this, definition);
	const received = await receiveCallback(definition, incomingCallbackOf(this, new Date()), {
		sender: settings.sender,
		maxBodyMb: settings.maxBodyMb,
		readSecrets: async () => readCallbackSecrets(await this.getCredentials(CREDENTIAL_NAME)),
		// A test run shows why a callback was refused; otherwise the editor would just keep
		// listening, and the person setting up AIRudder would never learn that the token is wrong.
		testRun: this.getMode() === 'manual',
	});
	const invalidOutput = this.helpers.returnJsonArray(received.invalidOutput);
	// Without Invalid items (every production refusal) nothing starts, so a stranger who finds the
	// URL cannot fill the executions list or run the workflow.
	const answeredAlone = (status: number, body: IDataObject): IWebhookResponseData => {
		const answered = answer(this, status, body);
		return invalidOutput.length > 0 ? { ...answered, workflowData: [[], invalidOutput] } : answered;
	};
	if (received.kind === 'refused') return answeredAlone(received.status, { error: received.reason });
	if (received.kind === 'invalid') return { workflowData: [[], invalidOutput] };

	const isFirstDelivery =
		settings.rememberDeliveriesForHours === undefined
			? undefined
			: firstDeliveryCheck(this, definition, settings.rememberDeliveriesForHours);
	let matched = 0;
	const items = toOutputItems(definition, received, settings, (item) => {
		if (!settings.matchesFilters(item)) return false;
		matched += 1;
		return isFirstDelivery?.(item) ?? true;
	});
	if (items.length === 0) {
		// Answered 200: the callback is genuine, and a refusal would only make AIRudder retry it.
		return answeredAlone(200, {
			message:
				matched === 0 ? 'Received; no item matched the trigger’s filters' : 'Received before; this repeated delivery was ignored',
		});
	}
	if (!isFirstDelivery && !settings.recordings) return { workflowData: [this.helpers.returnJsonArray(items), invalidOutput] };
	// Answered here rather than by n8n, for two reasons. Downloads can take longer than AIRudder
	// waits (10 s). And n8n saves static data changed by a webhook when the response goes out:
	// answered by n8n, that is after it has set up the execution, which marks the data unchanged,
	// so the repeated-delivery memory would be lost.
	answer(this, 200, { message: 'Workflow was started' });
	const output = settings.recordings
		? await attachRecordings(this, items, settings.recordings)
		: this.helpers.returnJsonArray(items);
	return { noWebhookResponse: true, workflowData: [output, invalidOutput] };
}
