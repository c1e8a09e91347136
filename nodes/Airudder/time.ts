const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
	try {
		formatterFor(timeZone);
		return true;
	} catch {
		return false;
	}
}

function offsetMinutesAt(timeZone: string, utcMillis: number): number {
	const parts: Record<string, number> = {};
	for (const part of formatterFor(timeZone).formatToParts(new Date(utcMillis))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	const wallClockAsUtc = Date.UTC(
		parts.year,
		parts.month - 1,
		parts.day,
		parts.hour,
		parts.minute,
		parts.second,
	);
	return Math.round((wallClockAsUtc - Math.floor(utcMillis / 1000) * 1000) / 60000);
}

/** The zone's offset at a wall-clock time, given as that wall-clock time read as UTC. */
function offsetAtWallClock(timeZone: string, wallClockAsUtc: number): number {
	// The offset at the wall-clock instant read as UTC is off by at most one DST shift; asking
	// again at the corrected instant settles it.
	const roughOffset = offsetMinutesAt(timeZone, wallClockAsUtc);
	return offsetMinutesAt(timeZone, wallClockAsUtc - roughOffset * 60000);
}

const HOUR = 3_600_000;
const MAX_CACHED_HOURS = 10_000;
/** Offset per zone and wall-clock hour; null for an hour in which the offset changes. */
const hourOffsets = new Map<string, number | null>();

/**
 * Asking Intl for an offset costs microseconds, and a burst of callbacks carries many times in
 * the same few hours, so each (zone, hour) is asked once. An hour in which the offset changes
 * (a DST transition) is never cached: each of its times is worked out on its own.
 */
function cachedOffset(timeZone: string, wallClockAsUtc: number): number {
	const hourStart = Math.floor(wallClockAsUtc / HOUR) * HOUR;
	const key = `${timeZone} ${hourStart}`;
	let offset = hourOffsets.get(key);
	if (offset === undefined) {
		const first = offsetAtWallClock(timeZone, hourStart);
		offset = first === offsetAtWallClock(timeZone, hourStart + HOUR - 1000) ? first : null;
		if (hourOffsets.size >= MAX_CACHED_HOURS) hourOffsets.clear();
		hourOffsets.set(key, offset);
	}
	return offset ?? offsetAtWallClock(timeZone, wallClockAsUtc);
}

function formatOffset(minutes: number): string {
	if (minutes === 0) return 'Z';
	const sign = minutes > 0 ? '+' : '-';
	const absolute = Math.abs(minutes);
	const hours = String(Math.floor(absolute / 60)).padStart(2, '0');
	return `${sign}${hours}:${String(absolute % 60).padStart(2, '0')}`;
}

/**
 * Turns AIRudder's zone-less "YYYY-MM-DD HH:mm:ss" into ISO-8601 with the zone's offset, e.g.
 * "2024-03-11 13:19:52" in Asia/Shanghai becomes "2024-03-11T13:19:52+08:00". Returns null for
 * anything that is not such a string (empty, "-", already ISO with a zone) and for an unknown zone,
 * which activation already reports, rather than stating a wrong instant.
 */
export function localTimeToIso(value: unknown, timeZone: string): string | null {
	if (typeof value !== 'string' || !isValidTimeZone(timeZone)) return null;
	const match = LOCAL_DATE_TIME.exec(value.trim());
	if (!match) return null;
	const [, year, month, day, hour, minute, second] = match.map(Number);
	const offset = cachedOffset(timeZone, Date.UTC(year, month - 1, day, hour, minute, second));
	return `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}${formatOffset(offset)}`;
}

/** Epoch seconds or milliseconds (told apart by size) as an ISO-8601 UTC string. */
export function epochToIso(value: unknown): string | null {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) return null;
	const millis = number >= 1e12 ? number : number * 1000;
	const date = new Date(millis);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
