import type { IDataObject } from 'n8n-workflow';

import { bodyBytes, type CallbackBody, type IncomingCallback } from './callbackRequest';
import type { CallbackSecrets } from './callbackCredential';
import type { CallbackDefinition } from '../vocabulary/definition';
import { invalidItemOf, type KeptBody, type Unreadable } from './invalidItem';
import { DEFAULT_SIGNATURE_HEADER } from '../limits';
import { REFUSALS, type Refusal } from './refusals';
import {
	bodyReadRefusal,
	checkBodySize,
	checkIntegrity,
	checkReplayWindow,
	checkSenderAddress,
	checkSomethingIsChecked,
	checkUrlToken,
	decryptBody,
	parsePayload,
	validatePayload,
	verifySignature,
	type SenderRule,
	type Valid,
} from './stages';

/**
 * What receiving one callback comes to, with the items for the Invalid output. A test run adds
 * one to a refusal, saying why, and one to any result of a trigger that checks nothing, saying
 * that production refuses it; production refusals have none, so they start nothing.
 */
export type Received = (
	/** Turned away: answer with its status and reason. */
	| Refusal
	/** Genuine but unreadable: answer 200; its Invalid item keeps it. */
	| { kind: 'invalid' }
	/** Readable: the payload, checked against the definition's schema. */
	| Valid
) & { invalidOutput: IDataObject[] };

export type ReceiveRules = SharedRules &
	(
		/** A live request, from an address the trigger's Allowed IP Addresses decide on. */
		| { sender: SenderRule; stored?: undefined }
		/** A body stored earlier, received again; see StoredChecks. */
		| { stored: StoredChecks }
	);

/**
 * A body stored earlier (an Invalid item, or what n8n's Webhook node passed on) was sent from an
 * address checked on arrival or not kept, so the address checks are skipped. It may have lost
 * its query or its signature header: each of those checks runs only when it can.
 */
export interface StoredChecks {
	urlToken: boolean;
	signature: boolean;
}

interface SharedRules {
	maxBodyMb: number;
	/** Read only once the sender's address is allowed: for n8n, each read costs an isolate. */
	readSecrets: () => Promise<CallbackSecrets>;
	/**
	 * While the editor listens for a test event: a refusal also says why on an Invalid item, and a
	 * trigger that checks nothing is let through, with an Invalid item saying production refuses it.
	 */
	testRun: boolean;
}

/**
 * The refusal, with the Invalid item that says why while the editor listens for a test event.
 * An address refused before the credential was read reads it now, only to hide its signature
 * header; without a credential, the default header is hidden.
 */
async function refusedWithItem(
	definition: CallbackDefinition,
	incoming: IncomingCallback,
	rules: ReceiveRules,
	refusal: Refusal,
	secrets: () => Promise<CallbackSecrets>,
): Promise<Received> {
	if (!rules.testRun) return { ...refusal, invalidOutput: [] };
	const signatureHeader = await secrets().then(
		(read) => read.signatureHeader,
		() => DEFAULT_SIGNATURE_HEADER,
	);
	const reasons = [refusal.reason, REFUSALS.onlyInTestRuns(refusal.status)];
	return { ...refusal, invalidOutput: [invalidItemOf(definition, incoming, signatureHeader, { stage: refusal.stage, reasons })] };
}

/**
 * Everything between a callback and the workflow, in stages: the sender's address, the URL
 * token, the body and its size, the signature (on the raw or the decrypted body), decryption,
 * integrity, parsing, the replay window, the schema. Forgeries are refused; a genuine but
 * unreadable callback becomes an Invalid item, because answering it with an error would make
 * AIRudder retry five times and then drop it. Runs on a live request or on a body stored earlier.
 */
export async function receiveCallback(
	definition: CallbackDefinition,
	incoming: IncomingCallback,
	rules: ReceiveRules,
): Promise<Received> {
	const badSender = rules.stored ? undefined : checkSenderAddress(incoming.ip, rules.sender);
	if (badSender) return await refusedWithItem(definition, incoming, rules, badSender, rules.readSecrets);
	const secrets = await rules.readSecrets();
	const refused = async (refusal: Refusal) => await refusedWithItem(definition, incoming, rules, refusal, async () => secrets);
	const checksNothing = rules.stored ? undefined : checkSomethingIsChecked(rules.sender, secrets);
	if (checksNothing && !rules.testRun) return await refused(checksNothing);
	const setupWarning = checksNothing
		? [
				invalidItemOf(definition, incoming, secrets.signatureHeader, {
					stage: checksNothing.stage,
					reasons: [checksNothing.reason, REFUSALS.acceptedInTestRunOnly],
				}),
			]
		: [];
	const badToken = rules.stored?.urlToken === false ? undefined : checkUrlToken(incoming.query, secrets);
	const checksSignature = rules.stored?.signature !== false;
	if (badToken) return await refused(badToken);
	let body: CallbackBody;
	try {
		body = await incoming.readBody();
	} catch (error) {
		return await refused(bodyReadRefusal(error));
	}
	const bytes = bodyBytes(body);
	const refusal =
		checkBodySize(bytes, rules.maxBodyMb) ??
		(checksSignature && secrets.signedContent === 'raw' ? verifySignature(incoming.headers, secrets, bytes, 'the request body is unavailable') : undefined);
	if (refusal) return await refused(refusal);

	const decryption = decryptBody(incoming.headers, bytes, secrets.aesKey);
	if (checksSignature && secrets.signedContent === 'decrypted') {
		const forged = verifySignature(incoming.headers, secrets, decryption.plaintext, 'the body could not be decrypted');
		if (forged) return await refused(forged);
	}
	const kept: KeptBody = { bytes, parsedBody: body.parsedBody, encrypted: decryption.encrypted };
	const { signatureHeader } = secrets;
	const invalid = (unreadable: Unreadable): Received => ({
		kind: 'invalid',
		invalidOutput: [invalidItemOf(definition, incoming, signatureHeader, { ...unreadable, body: kept }), ...setupWarning],
	});
	const unreadable = decryption.problem ?? checkIntegrity(incoming.headers, decryption);
	if (unreadable) return invalid(unreadable);
	const parsed = parsePayload(decryption, body.parsedBody);
	if (parsed.kind === 'unreadable') return invalid(parsed);
	const stale = checkReplayWindow(definition, parsed.payload, incoming.receivedAt, secrets.replayWindowSeconds);
	if (stale) return await refused(stale);
	const validation = validatePayload(definition, parsed.payload);
	return validation.kind === 'unreadable' ? invalid(validation) : { ...validation, invalidOutput: setupWarning };
}
