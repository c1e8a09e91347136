import { createHash, createHmac } from 'crypto';

import { secretsEqual } from '../crypto';

export const SIGNATURE_SCHEMES = {
	none: 'None (rely on the URL token and IP list)',
	sha256Hex: 'SHA-256 of the Body, Hex (Like AIRudder’s "Signed" Header; Unkeyed)',
	hmacSha256Hex: 'HMAC-SHA256 of the Body with the Signing Key, Hex',
	hmacSha256Base64: 'HMAC-SHA256 of the Body with the Signing Key, Base64',
	sha256BodyKeyHex: 'SHA-256 of the Body Followed by the Signing Key, Hex',
} as const;

export type SignatureScheme = keyof typeof SIGNATURE_SCHEMES;

/** The schemes that sign: every one but "none". */
export const SIGNED_SCHEMES: SignatureScheme[] = (Object.keys(SIGNATURE_SCHEMES) as SignatureScheme[]).filter((scheme) => scheme !== 'none');

/** The schemes that use the Signing Key; a plain SHA-256 of the body does not. */
export const KEYED_SCHEMES: SignatureScheme[] = SIGNED_SCHEMES.filter((scheme) => scheme !== 'sha256Hex');

export function isSignatureScheme(value: unknown): value is SignatureScheme {
	return typeof value === 'string' && value in SIGNATURE_SCHEMES;
}

export function computeSignature(
	scheme: Exclude<SignatureScheme, 'none'>,
	body: Buffer,
	signingKey: string,
): string {
	switch (scheme) {
		case 'sha256Hex':
			return createHash('sha256').update(body).digest('hex');
		case 'hmacSha256Hex':
			return createHmac('sha256', signingKey).update(body).digest('hex');
		case 'hmacSha256Base64':
			return createHmac('sha256', signingKey).update(body).digest('base64');
		case 'sha256BodyKeyHex':
			return createHash('sha256').update(body).update(signingKey, 'utf8').digest('hex');
	}
}

/** Exact match only: another case, encoding or a truncated value is a different signature. */
export function isSignatureValid(
	scheme: Exclude<SignatureScheme, 'none'>,
	body: Buffer,
	signingKey: string,
	received: string,
): boolean {
	return secretsEqual(computeSignature(scheme, body, signingKey), received.trim());
}
