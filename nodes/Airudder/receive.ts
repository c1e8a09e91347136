import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod/v4';

import type { CallbackSecrets } from './credential';
import { decryptAirudder, looksLikeBase64, secretsEqual, sha256Hex } from './crypto';
import type { CallbackDefinition } from './definition';
import { invalidItem, type InvalidItemField } from './invalidItem';
import type { IpAllowList } from './ipAllowList';
import { timestampSecondsOf } from './replayWindow';
import { isSignatureValid } from './signature';
import { missingCoreField, validationProblems } from './validationReasons';

/** What the node knows about one HTTP request, independent of n8n's request object. */
export interface IncomingCallback {
	/** `req.rawBody` as n8n captured it: the exact bytes, if available. */
	rawBody: unknown;
	/** n8n's parsed body, used only when the raw bytes are missing. */
	parsedBody: unknown;
	headers: Record<string, string | string[] | undefined>;
	query: Record<string, unknown>;
	/** Client address as n8n sees it, which honours n8n's proxy-trust settings. */
	ip: string | undefined;
	receivedAt: Date;
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

export type InvalidStage = 'decrypt' | 'integrity' | 'parse' | 'validate';

export type ReceiveOutcome =
	| Refusal
	| { kind: 'invalid'; item: IDataObject }
	| { kind: 'valid'; payload: IDataObject; mismatch?: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Headers that can carry credentials; they never reach an output item. */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-n8n-api-key'];

/** n8n's own default for N8N_PAYLOAD_SIZE_MAX; the lower of the two limits applies. */
export const DEFAULT_MAX_BODY_MB = 16;

/**
 * AIRudder's bodies nest four or five levels deep. Far deeper JSON parses, but n8n cannot store
 * it (serialising it overflows the stack), so it would fail after we answered 200.
 */
export const MAX_NESTING_DEPTH = 64;

/** Recursion stops at `limit` levels, so deep input cannot overflow the stack; nothing is allocated. */
function nestingDepthExceeds(value: unknown, limit: number): boolean {
	if (typeof value !== 'object' || value === null) return false;
	if (limit === 0) return true;
	if (Array.isArray(value)) return value.some((child) => nestingDepthExceeds(child, limit - 1));
	const record = value as Record<string, unknown>;
	for (const key in record) {
		if (nestingDepthExceeds(record[key], limit - 1)) return true;
	}
	return false;
}

function header(incoming: IncomingCallback, name: string): string | undefined {
	const value = incoming.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

function sanitisedHeaders(incoming: Pick<IncomingCallback, 'headers'>, secrets: CallbackSecrets): IDataObject {
	const hidden = [...SECRET_HEADERS, secrets.signatureHeader.toLowerCase()];
	const result: IDataObject = {};
	for (const [name, value] of Object.entries(incoming.headers)) {
		if (value !== undefined && !hidden.includes(name.toLowerCase())) result[name] = value;
	}
	return result;
}

function decodeUtf8(bytes: Buffer): string | undefined {
	try {
		return utf8.decode(bytes);
	} catch {
		return undefined;
	}
}

function rawBodyFields(bytes: Buffer | undefined, parsedBody: unknown): Partial<Record<InvalidItemField, string>> {
	if (!bytes) return { rawBody: JSON.stringify(parsedBody ?? null), rawBodyEncoding: 'json' };
	const text = decodeUtf8(bytes);
	return text === undefined
		? { rawBody: bytes.toString('base64'), rawBodyEncoding: 'base64' }
		: { rawBody: text, rawBodyEncoding: 'utf8' };
}

function requestBytes(incoming: IncomingCallback): Buffer | undefined {
	if (Buffer.isBuffer(incoming.rawBody)) return incoming.rawBody;
	if (typeof incoming.rawBody === 'string') return Buffer.from(incoming.rawBody, 'utf8');
	if (typeof incoming.parsedBody === 'string') return Buffer.from(incoming.parsedBody, 'utf8');
	return undefined;
}

/**
 * What a refused sender reads: AIRudder's logs, or a person testing by hand with curl. Each says
 * what is wrong and what to change, and never echoes a secret.
 */
export const REFUSALS = {
	bodyTooLarge: 'The callback body is larger than n8n accepts (N8N_PAYLOAD_SIZE_MAX). Ask whoever runs your n8n to raise it.',
	bodyUnreadable: 'The callback body could not be read, because the connection broke off. Send the callback again.',
	allowListUnreadable: (why: string) =>
		`The trigger's Allowed IP Addresses list cannot be read (${why}), so every callback is refused. Correct the list in the trigger's settings and publish the workflow again.`,
	ipNotAllowed:
		"This IP address is not on the trigger's Allowed IP Addresses list. If the callback comes from AIRudder, add its address there, or leave the list empty to accept any address.",
	wrongToken:
		"The URL token is missing or wrong. The callback URL must end with ?token= and the URL Token of the trigger's credential.",
	unsigned: (header: string) =>
		`The ${header} header is missing, so the callback is not signed the way the credential's Signature setting requires. To test by hand, send a signed sample with the package's sample sender (npm run send-sample), or set Signature to "None" while you test.`,
	uncheckable: (why: string) =>
		`The signature cannot be checked: ${why}. Check the credential's AES Key and Signature Covers.`,
	wrongSignature:
		"The signature does not match. Check that the credential's Signature, Signing Key and Signature Covers are the ones AIRudder uses.",
} as const;

/**
 * Which check refused a callback. Only a test run shows it, on the Invalid output; a refused
 * callback to the Production URL starts nothing.
 */
export type RefusalStage = 'ip' | 'token' | 'signature' | 'size' | 'read' | 'replay';

/** A refusal: the sender gets this status and reason, and no production execution starts. */
export interface Refusal {
	kind: 'rejected';
	status: 400 | 401 | 403 | 413;
	stage: RefusalStage;
	reason: string;
}

export const refuse = (status: Refusal['status'], stage: RefusalStage, reason: string): Refusal => ({
	kind: 'rejected',
	status,
	stage,
	reason,
});

/** A genuine callback that cannot be read: it becomes an item on the Invalid output. */
interface Unreadable {
	stage: InvalidStage;
	reasons: string[];
	details?: Partial<Record<InvalidItemField, IDataObject[string]>>;
}

function isUnreadable(value: object): value is Unreadable {
	return 'stage' in value;
}

/** Stage 1: who may call, by address and URL token, before any byte of the body is looked at. */
export function authorize(incoming: IncomingCallback, secrets: CallbackSecrets, allowList: IpAllowList): Refusal | undefined {
	if (!allowList(incoming.ip)) return refuse(403, 'ip', REFUSALS.ipNotAllowed);
	if (secrets.urlToken === '') return undefined;
	const token = incoming.query.token;
	return typeof token === 'string' && secretsEqual(secrets.urlToken, token) ? undefined : refuse(401, 'token', REFUSALS.wrongToken);
}

/** Stage 2: the body's exact bytes, within the trigger's size limit. */
export function readBody(incoming: IncomingCallback, maxBodyMb: number): { bytes: Buffer | undefined } | Refusal {
	const bytes = requestBytes(incoming);
	if (bytes && bytes.length > maxBodyMb * 1024 * 1024) {
		return refuse(
			413,
			'size',
			`The callback body is ${(bytes.length / 1024 / 1024).toFixed(1)} MB, over this trigger's limit of ${maxBodyMb} MB (Options → Max Body Size)`,
		);
	}
	return { bytes };
}

/**
 * Stage 3, run on the bytes the credential's Signature Covers names: the raw body before
 * decryption, or the decrypted one after. `unavailable` says why there are no bytes to check.
 */
export function verifySignature(
	incoming: IncomingCallback,
	secrets: CallbackSecrets,
	signed: Buffer | undefined,
	unavailable: string,
): Refusal | undefined {
	if (secrets.signatureScheme === 'none') return undefined;
	const received = header(incoming, secrets.signatureHeader);
	if (!received) return refuse(401, 'signature', REFUSALS.unsigned(secrets.signatureHeader));
	if (!signed) return refuse(401, 'signature', REFUSALS.uncheckable(unavailable));
	return isSignatureValid(secrets.signatureScheme, signed, secrets.signingSecret, received)
		? undefined
		: refuse(401, 'signature', REFUSALS.wrongSignature);
}

function isEncrypted(incoming: IncomingCallback, bodyText: string | undefined): boolean {
	const flag = header(incoming, 'is-encrypted')?.trim().toLowerCase();
	if (flag === '1' || flag === 'true') return true;
	if (bodyText === undefined) return false;
	const start = bodyText.trimStart()[0];
	return start !== '{' && start !== '[' && looksLikeBase64(bodyText);
}

export interface Decryption {
	encrypted: boolean;
	/** The body as AIRudder wrote it: decrypted, or the bytes as received. */
	plaintext?: Buffer;
	problem?: string;
}

/** Stage 4: AES-decrypts a body that says or looks encrypted; others pass as they are. */
export function decryptBody(incoming: IncomingCallback, bytes: Buffer | undefined, aesKey: string): Decryption {
	const bodyText = bytes === undefined ? undefined : decodeUtf8(bytes);
	if (!isEncrypted(incoming, bodyText)) return { encrypted: false, plaintext: bytes };
	if (aesKey === '') return { encrypted: true, problem: 'The callback is encrypted, but the credential has no AES Key.' };
	try {
		return { encrypted: true, plaintext: decryptAirudder(bodyText ?? '', aesKey) };
	} catch (error) {
		return { encrypted: true, problem: `The callback could not be decrypted: ${(error as Error).message}.` };
	}
}

/** Stage 5: AIRudder's "Signed" header, a SHA-256 of the plaintext, when it sends one. */
export function checkIntegrity(incoming: IncomingCallback, { encrypted, plaintext }: Decryption): Unreadable | undefined {
	const declaredHash = header(incoming, 'signed')?.trim().toLowerCase();
	if (!declaredHash || !plaintext || sha256Hex(plaintext) === declaredHash) return undefined;
	return {
		stage: 'integrity',
		reasons: [
			encrypted
				? 'The "Signed" header does not match the decrypted body: the AES Key is probably wrong.'
				: 'The "Signed" header does not match the body: it was changed or damaged on the way.',
		],
	};
}

/** Stage 6: the JSON value, from the plaintext or, without bytes, n8n's parsed body. */
export function parsePayload(incoming: IncomingCallback, { encrypted, plaintext }: Decryption): { payload: unknown } | Unreadable {
	let payload: unknown = incoming.parsedBody;
	if (plaintext) {
		const text = decodeUtf8(plaintext);
		if (text === undefined) {
			return {
				stage: 'parse',
				reasons: [encrypted ? 'The decrypted body is not text: the AES Key is probably wrong.' : 'The body is not UTF-8 text.'],
			};
		}
		try {
			payload = JSON.parse(text);
		} catch (error) {
			return {
				stage: 'parse',
				reasons: [
					encrypted
						? 'The decrypted body is not JSON: the AES Key is probably wrong.'
						: `The body is not valid JSON (${(error as Error).message}).`,
				],
				details: encrypted ? { decryptedBody: text } : {},
			};
		}
	}
	if (nestingDepthExceeds(payload, MAX_NESTING_DEPTH)) {
		return { stage: 'parse', reasons: [`The body nests deeper than ${MAX_NESTING_DEPTH} levels, which n8n cannot store.`] };
	}
	return { payload };
}

/** Stage 7: the credential's Replay Window, for callbacks stamped with their time. */
export function checkReplayWindow(
	definition: CallbackDefinition,
	payload: unknown,
	receivedAt: Date,
	windowSeconds: number,
): Refusal | undefined {
	if (windowSeconds <= 0) return undefined;
	const sentAt = timestampSecondsOf(definition, payload);
	const ageSeconds = sentAt === undefined ? 0 : Math.abs(receivedAt.getTime() / 1000 - sentAt);
	return ageSeconds > windowSeconds
		? refuse(403, 'replay', `The callback's timestamp is outside the ${windowSeconds}-second replay window. Send a fresh callback, or widen the credential's Replay Window (Seconds).`)
		: undefined;
}

export type Validation = { kind: 'valid'; payload: IDataObject; mismatch?: string } | Unreadable;

/**
 * Stage 8: the definition's schema. A callback that differs from it but carries its core fields
 * well-typed still counts, with the differences in `mismatch`.
 */
export function validatePayload(definition: CallbackDefinition, payload: unknown): Validation {
	const result = definition.schema.safeParse(payload);
	if (!result.success) {
		const { reasons, issues } = validationProblems(definition, payload, result.error.issues);
		const core = coreSchemaOf(definition)?.safeParse(payload);
		if (core?.success && definition.coreFields?.every((field) => (core.data as IDataObject)[field] != null)) {
			return { kind: 'valid', payload: core.data as IDataObject, mismatch: reasons.join(' ') };
		}
		// zod's issues are plain JSON data: code, path, message and what was expected.
		return { stage: 'validate', reasons, details: { validationIssues: issues as unknown as IDataObject[], body: payload as IDataObject } };
	}
	// Parsed from JSON, so every value is JSON data, which is what IDataObject describes.
	const data = result.data as IDataObject;
	const missing = (definition.coreFields ?? []).filter((field) => data[field] == null);
	if (missing.length > 0) {
		return { stage: 'validate', reasons: missing.map((field) => missingCoreField(definition, data, field)), details: { body: payload as IDataObject } };
	}
	return { kind: 'valid', payload: data };
}

/**
 * Everything between the HTTP request and the workflow, in stages: authorize, read, verify the
 * signature (on the raw or the decrypted body), decrypt, check integrity, parse, check the replay
 * window, validate. Forgeries are refused; a genuine but unreadable callback becomes an Invalid
 * item, because answering it with an error would make AIRudder retry five times and then drop it.
 */
export function receiveCallback(
	definition: CallbackDefinition,
	incoming: IncomingCallback,
	secrets: CallbackSecrets,
	allowList: IpAllowList,
	maxBodyMb: number = DEFAULT_MAX_BODY_MB,
): ReceiveOutcome {
	const unauthorized = authorize(incoming, secrets, allowList);
	if (unauthorized) return unauthorized;
	const body = readBody(incoming, maxBodyMb);
	if ('kind' in body) return body;
	const { bytes } = body;
	if (secrets.signedContent === 'raw') {
		const forged = verifySignature(incoming, secrets, bytes, 'the request body is unavailable');
		if (forged) return forged;
	}
	const decryption = decryptBody(incoming, bytes, secrets.aesKey);
	if (secrets.signedContent === 'decrypted') {
		const forged = verifySignature(incoming, secrets, decryption.plaintext, 'the body could not be decrypted');
		if (forged) return forged;
	}
	const invalid = ({ stage, reasons, details }: Unreadable): ReceiveOutcome => ({
		kind: 'invalid',
		item: invalidItem({
			reason: reasons.join(' '),
			reasons,
			stage,
			callbackType: definition.displayName,
			receivedAt: incoming.receivedAt.toISOString(),
			senderIp: incoming.ip,
			encrypted: decryption.encrypted,
			...details,
			...rawBodyFields(bytes, incoming.parsedBody),
			headers: sanitisedHeaders(incoming, secrets),
		}),
	});
	if (decryption.problem) return invalid({ stage: 'decrypt', reasons: [decryption.problem] });
	const damaged = checkIntegrity(incoming, decryption);
	if (damaged) return invalid(damaged);
	const parsed = parsePayload(incoming, decryption);
	if (isUnreadable(parsed)) return invalid(parsed);
	const stale = checkReplayWindow(definition, parsed.payload, incoming.receivedAt, secrets.replayWindowSeconds);
	if (stale) return stale;
	const validation = validatePayload(definition, parsed.payload);
	return isUnreadable(validation) ? invalid(validation) : validation;
}

/**
 * The Invalid item for a refused callback, made only while the editor listens for a test event,
 * so that someone wiring up AIRudder sees why nothing arrived. The request failed a check, so
 * anyone who knows the Test URL could have sent it: its body and query never reach the item, or
 * a stranger could put data into the user's test run, and the query carries the URL token. The
 * signature header is dropped with the other secret headers.
 */
export function refusedTestItem(
	definition: CallbackDefinition,
	incoming: Pick<IncomingCallback, 'headers' | 'ip' | 'receivedAt'>,
	secrets: CallbackSecrets,
	refusal: Refusal,
): IDataObject {
	const reasons = [
		refusal.reason,
		`n8n answered ${refusal.status} and started nothing else; this item shows only because the editor was listening for a test event. On the Production URL such a callback starts no execution.`,
	];
	return invalidItem({
		reason: reasons.join(' '),
		reasons,
		stage: refusal.stage,
		callbackType: definition.displayName,
		receivedAt: incoming.receivedAt.toISOString(),
		senderIp: incoming.ip,
		headers: sanitisedHeaders(incoming, secrets),
	});
}
