import type { IDataObject } from 'n8n-workflow';

import { bodyBytes, type CallbackBody, type IncomingCallback } from './callbackRequest';
import type { CallbackSecrets } from './credential';
import type { CallbackDefinition } from './definition';
import { invalidItemOf, type KeptBody, type Unreadable } from './invalidItem';
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

/** What receiving one callback comes to. */
export type Received =
	/** Turned away: answer with its status and reason, start nothing (but a test run's Invalid item). */
	| (Refusal & { invalidItem?: IDataObject })
	/** Genuine but unreadable: answer 200 and put the item on the Invalid output. */
	| { kind: 'invalid'; invalidItem: IDataObject }
	/**
	 * Readable: the payload, checked against the definition's schema. In a test run of a trigger
	 * that checks nothing, also the Invalid item saying that production would refuse it.
	 */
	| (Valid & { setupWarning?: IDataObject });

export interface ReceiveRules {
	sender: SenderRule;
	maxBodyMb: number;
	/** Read only once the sender's address is allowed: for n8n, each read costs an isolate. */
	readSecrets: () => Promise<CallbackSecrets>;
	/**
	 * While the editor listens for a test event: a refusal also says why on an Invalid item, and a
	 * trigger that checks nothing is let through, with an Invalid item saying production refuses it.
	 */
	testRun: boolean;
}

/** The refusal, with the Invalid item that says why while the editor listens for a test event. */
async function refusedWithItem(
	definition: CallbackDefinition,
	incoming: IncomingCallback,
	rules: ReceiveRules,
	refusal: Refusal,
	secrets: () => Promise<CallbackSecrets>,
): Promise<Received> {
	if (!rules.testRun) return refusal;
	const { signatureHeader } = await secrets();
	const reasons = [refusal.reason, REFUSALS.onlyInTestRuns(refusal.status)];
	return { ...refusal, invalidItem: invalidItemOf(definition, incoming, signatureHeader, { stage: refusal.stage, reasons }) };
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
	const badSender = checkSenderAddress(incoming.ip, rules.sender);
	if (badSender) return await refusedWithItem(definition, incoming, rules, badSender, rules.readSecrets);
	const secrets = await rules.readSecrets();
	const refused = async (refusal: Refusal) => await refusedWithItem(definition, incoming, rules, refusal, async () => secrets);
	const checksNothing = checkSomethingIsChecked(rules.sender, secrets);
	if (checksNothing && !rules.testRun) return await refused(checksNothing);
	const badToken = checkUrlToken(incoming.query, secrets);
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
		(secrets.signedContent === 'raw' ? verifySignature(incoming.headers, secrets, bytes, 'the request body is unavailable') : undefined);
	if (refusal) return await refused(refusal);

	const decryption = decryptBody(incoming.headers, bytes, secrets.aesKey);
	if (secrets.signedContent === 'decrypted') {
		const forged = verifySignature(incoming.headers, secrets, decryption.plaintext, 'the body could not be decrypted');
		if (forged) return await refused(forged);
	}
	const kept: KeptBody = { bytes, parsedBody: body.parsedBody, encrypted: decryption.encrypted };
	const { signatureHeader } = secrets;
	const invalid = (unreadable: Unreadable): Received => ({
		kind: 'invalid',
		invalidItem: invalidItemOf(definition, incoming, signatureHeader, { ...unreadable, body: kept }),
	});
	const unreadable = decryption.problem ?? checkIntegrity(incoming.headers, decryption);
	if (unreadable) return invalid(unreadable);
	const parsed = parsePayload(decryption, body.parsedBody);
	if (parsed.kind === 'unreadable') return invalid(parsed);
	const stale = checkReplayWindow(definition, parsed.payload, incoming.receivedAt, secrets.replayWindowSeconds);
	if (stale) return await refused(stale);
	const validation = validatePayload(definition, parsed.payload);
	if (validation.kind === 'unreadable') return invalid(validation);
	if (!checksNothing) return validation;
	const setupWarning = invalidItemOf(definition, incoming, signatureHeader, {
		stage: checksNothing.stage,
		reasons: [checksNothing.reason, REFUSALS.acceptedInTestRunOnly],
	});
	return { ...validation, setupWarning };
}
