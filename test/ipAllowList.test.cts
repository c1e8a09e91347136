import { parseIpAllowList } from '../nodes/Airudder/receive/ipAllowList';

describe('IP allow-list', () => {
	it('allows everyone when empty', () => {
		expect(parseIpAllowList('')('203.0.113.1')).toBe(true);
		expect(parseIpAllowList(' \n ')(undefined)).toBe(true);
	});

	it('accepts entries separated by commas, spaces, semicolons or new lines', () => {
		const allowed = parseIpAllowList('203.0.113.1;198.51.100.2\n192.0.2.0/30 2001:db8::1');
		for (const ip of ['203.0.113.1', '198.51.100.2', '192.0.2.3', '2001:db8:0:0:0:0:0:1']) expect(allowed(ip)).toBe(true);
		for (const ip of ['192.0.2.4', '2001:db8::2']) expect(allowed(ip)).toBe(false);
	});

	it('matches IPv4 clients that arrive as IPv4-mapped IPv6, as Node reports them', () => {
		expect(parseIpAllowList('198.51.100.0/24')('::ffff:198.51.100.9')).toBe(true);
		expect(parseIpAllowList('::ffff:198.51.100.9')('198.51.100.9')).toBe(true);
	});

	it('handles whole-space and single-host ranges', () => {
		expect(parseIpAllowList('0.0.0.0/0')('8.8.8.8')).toBe(true);
		expect(parseIpAllowList('0.0.0.0/0')('2001:db8::1')).toBe(false);
		expect(parseIpAllowList('::1/128')('::1')).toBe(true);
		expect(parseIpAllowList('::/0')('fe80::1%eth0')).toBe(true);
	});

	it('refuses a missing or unparseable client address', () => {
		const allowed = parseIpAllowList('203.0.113.1');
		expect(allowed(undefined)).toBe(false);
		expect(allowed('')).toBe(false);
		expect(allowed('203.0.113.1.5')).toBe(false);
	});

	it.each(['1.2.3', '1.2.3.256', '1.2.3.4/', '1.2.3.4/33', '1.2.3.4/8/8', '2001:db8::1::2', 'gggg::1', 'localhost'])(
		'throws on the malformed entry %s rather than guessing',
		(entry) => {
			expect(() => parseIpAllowList(entry)).toThrow(entry);
		},
	);
});
