import { createHash, createHmac } from 'crypto';

/**
 * Each signature scheme as a sender computes it, written with Node's crypto here rather than taken
 * from the node's own code, so that a spec accepting these signatures checks the node against an
 * independent recipe, not against itself.
 */
const SIGNERS = {
	sha256Hex: (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex'),
	hmacSha256Hex: (bytes: Buffer | string, key: string) => createHmac('sha256', key).update(bytes).digest('hex'),
	hmacSha256Base64: (bytes: Buffer | string, key: string) => createHmac('sha256', key).update(bytes).digest('base64'),
	sha256BodyKeyHex: (bytes: Buffer | string, key: string) => createHash('sha256').update(bytes).update(key).digest('hex'),
};

export type TestedScheme = keyof typeof SIGNERS;

/** Every scheme a signature can be made with; a spec checks the node offers exactly these. */
export const TESTED_SCHEMES = Object.keys(SIGNERS) as TestedScheme[];

/** The signature of `bytes` by `scheme`; the key is ignored by the unkeyed sha256Hex. */
export function signatureOf(scheme: TestedScheme, bytes: Buffer | string, key: string): string {
	return SIGNERS[scheme](bytes, key);
}
