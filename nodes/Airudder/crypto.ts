import { createCipheriv, createDecipheriv, createHash, timingSafeEqual } from 'crypto';

const AES_BLOCK_BYTES = 16;
const AES_KEY_BYTES = [16, 24, 32];
const BASE64_TEXT = /^[A-Za-z0-9+/]+={0,2}$/;
const OUTSIDE_BASE64_ALPHABET = /[^A-Za-z0-9+/=]/;

export function isValidAesKey(key: string): boolean {
	return AES_KEY_BYTES.includes(Buffer.byteLength(key, 'utf8'));
}

function ecbAlgorithm(key: Buffer): string {
	return `aes-${key.length * 8}-ecb`;
}

function aesKeyBytes(key: string): Buffer {
	const bytes = Buffer.from(key, 'utf8');
	if (!AES_KEY_BYTES.includes(bytes.length)) {
		throw new Error(`the AES key must be 16, 24 or 32 bytes long, not ${bytes.length}`);
	}
	return bytes;
}

/**
 * AIRudder pads with zero bytes, always adding at least one byte, so a plaintext that already
 * fills whole blocks gains a full block of zeros. PKCS#7 does not reproduce the vendor's vector.
 */
export function encryptAirudder(plaintext: string | Buffer, key: string): string {
	const keyBytes = aesKeyBytes(key);
	const data = Buffer.isBuffer(plaintext) ? plaintext : Buffer.from(plaintext, 'utf8');
	const paddedLength = (Math.floor(data.length / AES_BLOCK_BYTES) + 1) * AES_BLOCK_BYTES;
	const padded = Buffer.alloc(paddedLength);
	data.copy(padded);
	const cipher = createCipheriv(ecbAlgorithm(keyBytes), keyBytes, null);
	cipher.setAutoPadding(false);
	return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

export function decryptAirudder(ciphertextBase64: string, key: string): Buffer {
	const keyBytes = aesKeyBytes(key);
	const compact = compactBase64(ciphertextBase64);
	if (compact === undefined) {
		throw new Error('the body is not valid base64');
	}
	const ciphertext = Buffer.from(compact, 'base64');
	if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK_BYTES !== 0) {
		throw new Error(
			`the ciphertext is ${ciphertext.length} bytes, not a whole number of 16-byte AES blocks`,
		);
	}
	const decipher = createDecipheriv(ecbAlgorithm(keyBytes), keyBytes, null);
	decipher.setAutoPadding(false);
	const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
	let end = padded.length;
	while (end > 0 && padded[end - 1] === 0) end--;
	return padded.subarray(0, end);
}

/** The shortest AES ciphertext, one block, is 24 base64 characters, so `null` or `1234` is JSON. */
const MIN_CIPHERTEXT_BASE64 = 24;

export function looksLikeBase64(text: string): boolean {
	const compact = compactBase64(text);
	return compact !== undefined && compact.length >= MIN_CIPHERTEXT_BASE64 && compact.length % 4 === 0;
}

/**
 * The base64 text without its whitespace (line breaks, as some encoders wrap), or undefined if
 * it is not base64. A body on one line, the usual case, is checked in a single scan: this runs
 * on every encrypted callback, and a second pass over 8 KB costs more than the AES decryption.
 */
function compactBase64(text: string): string | undefined {
	if (OUTSIDE_BASE64_ALPHABET.test(text)) {
		const compact = text.replace(/\s+/g, '');
		return BASE64_TEXT.test(compact) ? compact : undefined;
	}
	const padding = text.indexOf('=');
	const wellPadded = padding === -1 || (padding > 0 && padding >= text.length - 2 && text.endsWith('='.repeat(text.length - padding)));
	return text !== '' && wellPadded ? text : undefined;
}

export function sha256Hex(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}

/**
 * Hashing both sides first gives equal-length buffers, so the comparison time reveals neither
 * the expected value nor its length.
 */
export function secretsEqual(expected: string, received: string): boolean {
	const expectedDigest = createHash('sha256').update(expected, 'utf8').digest();
	const receivedDigest = createHash('sha256').update(received, 'utf8').digest();
	return timingSafeEqual(expectedDigest, receivedDigest);
}
