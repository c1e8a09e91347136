interface IpRange {
	version: 4 | 6;
	network: bigint;
	prefixLength: number;
}

const IPV4_MAPPED_PREFIX = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

function parseIpv4(text: string): bigint | undefined {
	const parts = text.split('.');
	if (parts.length !== 4) return undefined;
	let value = BigInt(0);
	for (const part of parts) {
		if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
		value = (value << BigInt(8)) + BigInt(Number(part));
	}
	return value;
}

function parseIpv6(text: string): bigint | undefined {
	const withoutZone = text.split('%')[0];
	const embeddedIpv4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(withoutZone);
	let hextets = withoutZone;
	if (embeddedIpv4) {
		const v4 = parseIpv4(embeddedIpv4[1]);
		if (v4 === undefined) return undefined;
		const high = Number(v4 >> BigInt(16)).toString(16);
		const low = Number(v4 & BigInt(0xffff)).toString(16);
		hextets = `${withoutZone.slice(0, embeddedIpv4.index)}${high}:${low}`;
	}
	const halves = hextets.split('::');
	if (halves.length > 2) return undefined;
	const head = halves[0] ? halves[0].split(':') : [];
	const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
	const missing = 8 - head.length - tail.length;
	if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
		return undefined;
	}
	const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
	let value = BigInt(0);
	for (const group of groups) {
		if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
		value = (value << BigInt(16)) + BigInt(parseInt(group, 16));
	}
	return value;
}

function parseAddress(text: string): { version: 4 | 6; value: bigint } | undefined {
	const mapped = IPV4_MAPPED_PREFIX.exec(text);
	const candidate = mapped ? mapped[1] : text;
	const v4 = parseIpv4(candidate);
	if (v4 !== undefined) return { version: 4, value: v4 };
	const v6 = parseIpv6(candidate);
	return v6 === undefined ? undefined : { version: 6, value: v6 };
}

function bitsOf(version: 4 | 6): number {
	return version === 4 ? 32 : 128;
}

function maskOf(version: 4 | 6, prefixLength: number): bigint {
	const bits = BigInt(bitsOf(version));
	const all = (BigInt(1) << bits) - BigInt(1);
	return all ^ ((BigInt(1) << (bits - BigInt(prefixLength))) - BigInt(1));
}

function parseRange(entry: string): IpRange {
	const [addressText, prefixText, extra] = entry.split('/');
	const address = parseAddress(addressText);
	if (!address || extra !== undefined) {
		throw new Error(`"${entry}" is not an IP address or CIDR range`);
	}
	const prefixLength = prefixText === undefined ? bitsOf(address.version) : Number(prefixText);
	if (!/^\d+$/.test(prefixText ?? '0') || prefixLength > bitsOf(address.version)) {
		throw new Error(`"${entry}" has an invalid prefix length`);
	}
	const mask = maskOf(address.version, prefixLength);
	return { version: address.version, network: address.value & mask, prefixLength };
}

export type IpAllowList = (ip: string | undefined) => boolean;

const entriesOf = (text: string): string[] => text.split(/[\s,;]+/).filter((entry) => entry !== '');

/**
 * Whether the list lets every address through: it is empty, or it holds a range of prefix length
 * 0 (0.0.0.0/0, ::/0), which checks nothing either. A list that does not parse allows nobody.
 */
export function allowsEveryAddress(text: string): boolean {
	try {
		const ranges = entriesOf(text).map(parseRange);
		return ranges.length === 0 || ranges.some((range) => range.prefixLength === 0);
	} catch {
		return false;
	}
}

/**
 * Parses a comma, space or newline separated list of IPs and CIDR ranges. An empty list allows
 * everyone; a malformed entry throws, so a typo never silently opens or closes the door.
 */
export function parseIpAllowList(text: string): IpAllowList {
	const ranges = entriesOf(text).map(parseRange);
	if (ranges.length === 0) return () => true;
	return (ip) => {
		const address = ip === undefined ? undefined : parseAddress(ip.trim());
		if (!address) return false;
		return ranges.some(
			(range) =>
				range.version === address.version &&
				(address.value & maskOf(range.version, range.prefixLength)) === range.network,
		);
	};
}
