import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CREDENTIAL_NAME, readCallbackSecrets, type CallbackSecrets } from './credential';
import type { CallbackDefinition } from './definition';
import type { ItemPredicate } from './filters';
import { toOutputItems } from './items';
import { REFUSALS, receiveCallback, refuse, refusedTestItem, type IncomingCallback, type Refusal } from './receive';
import { attachRecordings } from './recordings';
import { skipRepeatedDeliveries, type DeliveryMemory } from './repeatedDeliveries';
import { readTriggerSettings } from './settings';

/** n8n's request: `readRawBody` fills `rawBody` with the bytes as received (after content-encoding). */
type RawBodyRequest = ReturnType<IWebhookFunctions['getRequestObject']> & {
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
};

type IncomingHeaders = IncomingCallback['headers'];

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

/**
 * Answers a refused callback with its status and reason. While the editor listens for a test
 * event (n8n's manual mode), the refusal also runs the test, with an Invalid item that says why:
 * otherwise the editor would just keep listening, and the person setting up AIRudder would never
 * learn that the token or key is wrong. A refused callback to the Production URL starts no
 * execution, so a stranger who finds the URL cannot fill the executions list or run the workflow.
 */
function refused(
	context: IWebhookFunctions,
	definition: CallbackDefinition,
	secrets: CallbackSecrets,
	receivedAt: Date,
	refusal: Refusal,
): IWebhookResponseData {
	const answered = answer(context, refusal.status, { error: refusal.reason });
	if (context.getMode() !== 'manual') return answered;
	const incoming = { headers: context.getHeaderData() as IncomingHeaders, ip: context.getRequestObject().ip, receivedAt };
	const item = refusedTestItem(definition, incoming, secrets, refusal);
	return { ...answered, workflowData: [[], context.helpers.returnJsonArray(item)] };
}

/** One AIRudder callback, from n8n's request to the trigger's two outputs. */
export async function handleCallback(this: IWebhookFunctions, definition: CallbackDefinition): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	const request = this.getRequestObject() as RawBodyRequest;
	const secrets = readCallbackSecrets(await this.getCredentials(CREDENTIAL_NAME));
	const settings = readTriggerSettings(this, definition);
	const refuseCallback = (refusal: Refusal) => refused(this, definition, secrets, receivedAt, refusal);
	if (!settings.allowList) return refuseCallback(refuse(403, 'ip', REFUSALS.allowListUnreadable(settings.allowListProblem ?? '')));

	try {
		if (request.rawBody === undefined) await request.readRawBody?.();
	} catch (error) {
		const tooLarge = (error as { type?: string }).type === 'entity.too.large';
		return refuseCallback(tooLarge ? refuse(413, 'size', REFUSALS.bodyTooLarge) : refuse(400, 'read', REFUSALS.bodyUnreadable));
	}

	const outcome = receiveCallback(
		definition,
		{
			rawBody: request.rawBody,
			parsedBody: this.getBodyData(),
			headers: this.getHeaderData() as IncomingHeaders,
			query: this.getQueryData() as Record<string, unknown>,
			ip: request.ip,
			receivedAt,
		},
		secrets,
		settings.allowList,
		settings.maxBodyMb,
	);
	if (outcome.kind === 'rejected') return refuseCallback(outcome);
	if (outcome.kind === 'invalid') return { workflowData: [[], this.helpers.returnJsonArray(outcome.item)] };

	const isFirstDelivery =
		settings.rememberDeliveriesForHours === undefined
			? undefined
			: firstDeliveryCheck(this, definition, settings.rememberDeliveriesForHours);
	let matched = 0;
	const items = toOutputItems(definition, outcome.payload, settings, (item) => {
		if (!settings.matchesFilters(item)) return false;
		matched += 1;
		return isFirstDelivery?.(item) ?? true;
	});
	if (items.length === 0) {
		// Answered 200: the callback is genuine, and a refusal would only make AIRudder retry it.
		return answer(this, 200, {
			message:
				matched === 0 ? 'Received; no item matched the trigger’s filters' : 'Received before; this repeated delivery was ignored',
		});
	}
	const mismatch = outcome.mismatch;
	const labelled = mismatch ? items.map((item) => ({ ...item, schema_mismatch: mismatch })) : items;
	if (!isFirstDelivery && !settings.recordings) return { workflowData: [this.helpers.returnJsonArray(labelled), []] };
	// Answered here rather than by n8n, for two reasons. Downloads can take longer than AIRudder
	// waits (10 s). And n8n saves static data changed by a webhook when the response goes out:
	// answered by n8n, that is after it has set up the execution, which marks the data unchanged,
	// so the repeated-delivery memory would be lost.
	answer(this, 200, { message: 'Workflow was started' });
	const output = settings.recordings
		? await attachRecordings(this, labelled, settings.recordings)
		: this.helpers.returnJsonArray(labelled);
	return { noWebhookResponse: true, workflowData: [output, []] };
}
