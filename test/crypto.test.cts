import { randomBytes } from 'crypto';

import {
	decryptAirudder,
	encryptAirudder,
	isValidAesKey,
	looksLikeBase64,
	secretsEqual,
	sha256Hex,
} from '../nodes/Airudder/crypto';

/** AIRudder's own example from "API接口使用AES加解密对接-示例". */
const VENDOR = {
	key: 'airudderredduria',
	plaintext: 'TaskID=69f531a01a9df58aa6de2487be610abb',
	ciphertext: 'qbj8cnqKnqR66qDS49ib9ymU1mpMCyp8Dm0gS1VvmnEqTxPGSBzruAU1sapP+cye',
	signed: '6956d7af4c89b89f19f9ae0a8be4bcf12abe7c6ed893691733f3480ad3f3aabc',
};

describe('AIRudder AES-ECB with zero padding', () => {
	it('encrypts the vendor plaintext to the vendor ciphertext, exactly', () => {
		expect(encryptAirudder(VENDOR.plaintext, VENDOR.key)).toBe(VENDOR.ciphertext);
	});

	it('decrypts the vendor ciphertext to the vendor plaintext, exactly', () => {
		expect(decryptAirudder(VENDOR.ciphertext, VENDOR.key).toString('utf8')).toBe(VENDOR.plaintext);
	});

	it('hashes the vendor plaintext to the vendor "Signed" value', () => {
		expect(sha256Hex(VENDOR.plaintext)).toBe(VENDOR.signed);
	});

	it('adds a whole block of zeros to a plaintext that already fills whole blocks', () => {
		const aligned = 'x'.repeat(32);
		const ciphertext = Buffer.from(encryptAirudder(aligned, VENDOR.key), 'base64');
		expect(ciphertext).toHaveLength(48);
		expect(decryptAirudder(ciphertext.toString('base64'), VENDOR.key).toString()).toBe(aligned);
	});

	it.each([16, 24, 32])('round-trips random plaintexts with a %i-byte key', (keyLength) => {
		const key = randomBytes(keyLength).toString('base64').slice(0, keyLength);
		for (let length = 0; length < 70; length++) {
			const plaintext = randomBytes(length).toString('hex').slice(0, length) || 'a';
			expect(decryptAirudder(encryptAirudder(plaintext, key), key).toString('utf8')).toBe(plaintext);
		}
	});

	it.each([
		['Thai', 'สวัสดีค่ะ J&T EXPRESS ยินดีให้บริการ'],
		['Chinese', '意愿确认 Willingness Check，贷款人确认'],
		['16-byte aligned Chinese', '意愿确认贷款'],
		['emoji', '请选择您的性别(button)👉👉👉'],
	])('round-trips %s text byte for byte', (_label, plaintext) => {
		const decrypted = decryptAirudder(encryptAirudder(plaintext, VENDOR.key), VENDOR.key);
		expect(decrypted.equals(Buffer.from(plaintext, 'utf8'))).toBe(true);
	});

	it('accepts base64 split over lines', () => {
		const wrapped = VENDOR.ciphertext.replace(/(.{20})/g, '$1\n');
		expect(decryptAirudder(wrapped, VENDOR.key).toString()).toBe(VENDOR.plaintext);
	});

	it('explains a ciphertext that is not whole AES blocks', () => {
		expect(() => decryptAirudder(VENDOR.ciphertext.slice(0, 20), VENDOR.key)).toThrow(
			'not a whole number of 16-byte AES blocks',
		);
	});

	it('explains a body that is not base64', () => {
		expect(() => decryptAirudder('{"not": "base64"}', VENDOR.key)).toThrow('not valid base64');
	});

	it.each([
		['padding in the middle', `${VENDOR.ciphertext.slice(0, 8)}==${VENDOR.ciphertext.slice(10)}`],
		['three padding characters', `${VENDOR.ciphertext.slice(0, -3)}===`],
		['only padding', '===='],
		['an empty body', ''],
		['a character outside base64, on one line', `${VENDOR.ciphertext.slice(0, -4)}-AAA`],
		['a character outside base64, across lines', `${VENDOR.ciphertext.slice(0, 20)}\n${VENDOR.ciphertext.slice(20, -4)}_AAA`],
	])('refuses %s as not base64', (_case, body) => {
		expect(() => decryptAirudder(body, VENDOR.key)).toThrow('not valid base64');
	});

	it('refuses keys that are not 16, 24 or 32 bytes', () => {
		expect(() => encryptAirudder('x', 'short')).toThrow('must be 16, 24 or 32 bytes long, not 5');
		expect(isValidAesKey('airudderredduria')).toBe(true);
		expect(isValidAesKey('a'.repeat(24))).toBe(true);
		expect(isValidAesKey('a'.repeat(32))).toBe(true);
		expect(isValidAesKey('a'.repeat(17))).toBe(false);
		expect(isValidAesKey('意'.repeat(6))).toBe(false);
	});

	it('tells base64 bodies from JSON bodies', () => {
		expect(looksLikeBase64(VENDOR.ciphertext)).toBe(true);
		expect(looksLikeBase64('{"a":1}')).toBe(false);
		expect(looksLikeBase64('null')).toBe(false);
		expect(looksLikeBase64('1234567890')).toBe(false);
	});
});

describe('secret comparison', () => {
	it('is true only for identical strings', () => {
		expect(secretsEqual('token-123', 'token-123')).toBe(true);
		expect(secretsEqual('token-123', 'token-12')).toBe(false);
		expect(secretsEqual('token-123', 'TOKEN-123')).toBe(false);
		expect(secretsEqual('token-123', '')).toBe(false);
	});
});
