import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod/v4';

import { decodeUtf8, headerValue, type CallbackHeaders } from './callbackRequest';
import type { CallbackSecrets } from './callbackCredential';
import { decryptAirudder, looksLikeBase64, secretsEqual, sha256Hex } from '../crypto';
import type { CallbackDefinition } from '../vocabulary/definition';
import type { Unreadable } from './invalidItem';
import type { IpAllowList } from './ipAllowList';
import { MAX_NESTING_DEPTH } from '../limits';
import { refusal, REFUSALS, type Refusal } from './refusals';
import { timestampSecondsOf } from './replayWindow';
import { isSignatureValid } from './signature';
import { missingCoreField, validationProblems } from './validationReasons';
import { itemKeyOf, ownValue, withReservedKeysRenamed } from '../values';

/**
 * The checks between an HTTP request and the workflow, each alone; pipeline.ts runs them in order.
 * A check that refuses returns a Refusal (a forgery, or a sender we must turn away); one that finds
 * a genuine callback it cannot read returns an Unreadable, which becomes an Invalid item.
 */

/** The trigger's Allowed IP Addresses, whether it names any, or why the list cannot be read. */
export type SenderRule = { allowList: IpAllowList; allowsAnyAddress: boolean } | { problem: string };

/** Who may call, by address, before the credential or any byte of the body is read. */
export function checkSenderAddress(ip: string | undefined, rule: SenderRule): Refusal | undefined {
	if ('problem' in rule) return refusal(403, 'ip', REFUSALS.allowListUnreadable(rule.problem));
	return rule.allowList(ip) ? undefined : refusal(403, 'ip', REFUSALS.ipNotAllowed);
}

/**
 * A trigger that checks neither the address, a URL token nor a signature would take anything from
 * anyone who learns its URL, and write it into the user's sheet or CRM: production refuses it.
 */
export function checkSomethingIsChecked(sender: SenderRule, secrets: CallbackSecrets): Refusal | undefined {
	const checksNothing =
		'allowList' in sender && sender.allowsAnyAddress && secrets.urlToken === '' && secrets.signatureScheme === 'none';
	return checksNothing ? refusal(401, 'setup', REFUSALS.checksNothing) : undefined;
}

/** The URL token, when the credential sets one. */
export function checkUrlToken(query: Record<string, unknown>, secrets: CallbackSecrets): Refusal | undefined {
	if (secrets.urlToken === '') return undefined;
	const token = query.token;
	return typeof token === 'string' && secretsEqual(secrets.urlToken, token) ? undefined : refusal(401, 'token', REFUSALS.wrongToken);
}

/** Why n8n's body reader failed: the body was over n8n's limit, or the connection broke. */
export function bodyReadRefusal(error: unknown): Refusal {
	const tooLarge = (error as { type?: unknown } | null)?.type === 'entity.too.large';
	return tooLarge ? refusal(413, 'size', REFUSALS.bodyTooLarge) : refusal(400, 'read', REFUSALS.bodyUnreadable);
}

/** The body within the trigger's own size limit. */
export function checkBodySize(bytes: Buffer | undefined, maxBodyMb: number): Refusal | undefined {
	if (!bytes || bytes.length <= maxBodyMb * 1024 * 1024) return undefined;
	return refusal(413, 'size', REFUSALS.bodyOverNodeLimit(bytes.length / 1024 / 1024, maxBodyMb));
}

/**
 * The signature, over the bytes the credential's Signature Covers names: the raw body before
 * decryption, or the decrypted one after. `unavailable` says why there are no bytes to check.
 */
export function verifySignature(
	headers: CallbackHeaders,
	secrets: CallbackSecrets,
	signed: Buffer | undefined,
	unavailable: string,
): Refusal | undefined {
	if (secrets.signatureScheme === 'none') return undefined;
	const received = headerValue(headers, secrets.signatureHeader);
	if (!received) return refusal(401, 'signature', REFUSALS.unsigned(secrets.signatureHeader));
	if (!signed) return refusal(401, 'signature', REFUSALS.uncheckable(unavailable));
	return isSignatureValid(secrets.signatureScheme, signed, secrets.signingSecret, received)
		? undefined
		: refusal(401, 'signature', REFUSALS.wrongSignature);
}

function isEncrypted(headers: CallbackHeaders, bodyText: string | undefined): boolean {
	const flag = headerValue(headers, 'is-encrypted')?.trim().toLowerCase();
	if (flag === '1' || flag === 'true') return true;
	if (bodyText === undefined) return false;
	const start = bodyText.trimStart()[0];
	return start !== '{' && start !== '[' && looksLikeBase64(bodyText);
}

interface Decryption {
	encrypted: boolean;
	/** The body as AIRudder wrote it: decrypted, or the bytes as received. */
	plaintext?: Buffer;
	problem?: Unreadable;
}

/** AES-decrypts a body that says or looks encrypted; others pass as they are. */
export function decryptBody(headers: CallbackHeaders, bytes: Buffer | undefined, aesKey: string): Decryption {
	const bodyText = bytes === undefined ? undefined : decodeUtf8(bytes);
	if (!isEncrypted(headers, bodyText)) return { encrypted: false, plaintext: bytes };
	const failed = (reason: string): Decryption => ({ encrypted: true, problem: { kind: 'unreadable', stage: 'decrypt', reasons: [reason] } });
	if (aesKey === '') return failed('The callback is encrypted, but the credential has no AES Key.');
	try {
		return { encrypted: true, plaintext: decryptAirudder(bodyText ?? '', aesKey) };
	} catch (error) {
		return failed(`The callback could not be decrypted: ${(error as Error).message}.`);
	}
}

/** AIRudder's "Signed" header, a SHA-256 of the plaintext, when it sends one. */
export function checkIntegrity(headers: CallbackHeaders, { encrypted, plaintext }: Decryption): Unreadable | undefined {
	const declaredHash = headerValue(headers, 'signed')?.trim().toLowerCase();
	if (!declaredHash || !plaintext || sha256Hex(plaintext) === declaredHash) return undefined;
	return {
		kind: 'unreadable',
		stage: 'integrity',
		reasons: [
			encrypted
				? 'The "Signed" header does not match the decrypted body: the AES Key is probably wrong.'
				: 'The "Signed" header does not match the body: it was changed or damaged on the way.',
		],
	};
}

/** Recursion stops at `limit` levels, so deep input cannot overflow the stack. */
function nestingDepthExceeds(value: unknown, limit: number): boolean {
	if (typeof value !== 'object' || value === null) return false;
	if (limit === 0) return true;
	if (Array.isArray(value)) return value.some((child) => nestingDepthExceeds(child, limit - 1));
	const record = value as Record<string, unknown>;
	return Object.keys(record).some((key) => nestingDepthExceeds(record[key], limit - 1));
}

/** The JSON value, from the plaintext or, without bytes, n8n's parsed body. */
export function parsePayload({ encrypted, plaintext }: Decryption, parsedBody: unknown): { kind: 'parsed'; payload: unknown } | Unreadable {
	const unparsable = (reason: string, details: Unreadable['details'] = {}): Unreadable => ({
		kind: 'unreadable',
		stage: 'parse',
		reasons: [reason],
		details,
	});
	let payload: unknown = parsedBody;
	if (plaintext) {
		const text = decodeUtf8(plaintext);
		if (text === undefined) {
			return unparsable(encrypted ? 'The decrypted body is not text: the AES Key is probably wrong.' : 'The body is not UTF-8 text.');
		}
		try {
			payload = JSON.parse(text);
		} catch (error) {
			return encrypted
				? unparsable('The decrypted body is not JSON: the AES Key is probably wrong.', { decryptedBody: text })
				: unparsable(`The body is not valid JSON (${(error as Error).message}).`);
		}
	}
	if (nestingDepthExceeds(payload, MAX_NESTING_DEPTH)) {
		return unparsable(`The body nests deeper than ${MAX_NESTING_DEPTH} levels, which n8n cannot store.`);
	}
	return { kind: 'parsed', payload };
}

/** The credential's Replay Window, for callbacks stamped with their time. */
export function checkReplayWindow(
	definition: CallbackDefinition,
	payload: unknown,
	receivedAt: Date,
	windowSeconds: number,
): Refusal | undefined {
	if (windowSeconds <= 0) return undefined;
	const sentAt = timestampSecondsOf(definition, payload);
	const ageSeconds = sentAt === undefined ? 0 : Math.abs(receivedAt.getTime() / 1000 - sentAt);
	return ageSeconds > windowSeconds ? refusal(403, 'replay', REFUSALS.outsideReplayWindow(windowSeconds)) : undefined;
}

const coreSchemas = new WeakMap<CallbackDefinition, z.ZodObject>();

/** The definition's schema narrowed to its core fields; every other field passes as sent. */
function coreSchemaOf(definition: CallbackDefinition): z.ZodObject | undefined {
	if (!definition.coreFields) return undefined;
	let core = coreSchemas.get(definition);
	if (!core) {
		const shape = definition.schema.shape;
		core = z.looseObject(Object.fromEntries(definition.coreFields.map((field) => [field, shape[field]])));
		coreSchemas.set(definition, core);
	}
	return core;
}

export interface Valid {
	kind: 'valid';
	payload: IDataObject;
	/** How the callback differs from the schema, when it carries its core fields well-typed. */
	mismatch?: string;
}

/**
 * The definition's schema. A callback that differs from it but carries its core fields
 * well-typed still counts, with the differences in `mismatch`.
 */
export function validatePayload(definition: CallbackDefinition, payload: unknown): Valid | Unreadable {
	// The Invalid item keeps the body with its fields named as items name them, so every path in it maps by drag and drop.
	const keptBody = () => withReservedKeysRenamed(payload, payload) as IDataObject;
	const result = definition.schema.safeParse(payload);
	if (!result.success) {
		const { reasons, issues } = validationProblems(definition, payload, result.error.issues);
		const core = coreSchemaOf(definition)?.safeParse(payload);
		const coreData = core?.success ? withReservedKeysRenamed(core.data as IDataObject, payload) : undefined;
		if (coreData && definition.coreFields?.every((field) => ownValue(coreData, itemKeyOf(field)) != null)) {
			return { kind: 'valid', payload: coreData, mismatch: reasons.join(' ') };
		}
		// zod's issues are plain JSON data: code, path, message and what was expected.
		return {
			kind: 'unreadable',
			stage: 'validate',
			reasons,
			details: { validationIssues: issues as unknown as IDataObject[], body: keptBody() },
		};
	}
	// Parsed from JSON, so every value is JSON data, which is what IDataObject describes.
	const data = withReservedKeysRenamed(result.data as IDataObject, payload);
	const missing = (definition.coreFields ?? []).filter((field) => ownValue(data, itemKeyOf(field)) == null);
	if (missing.length > 0) {
		return {
			kind: 'unreadable',
			stage: 'validate',
			reasons: missing.map((field) => missingCoreField(definition, data, field)),
			details: { body: keptBody() },
		};
	}
	return { kind: 'valid', payload: data };
}
