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

/** The zone's wall clock at an instant, each part as two (the year four) digits. */
function wallClockParts(timeZone: string, utcMillis: number): Record<string, string> {
	const parts: Record<string, string> = {};
	for (const part of formatterFor(timeZone).formatToParts(new Date(utcMillis))) {
		if (part.type !== 'literal') parts[part.type] = part.value;
	}
	return parts;
}

function offsetMinutesAt(timeZone: string, utcMillis: number): number {
	const parts = Object.fromEntries(Object.entries(wallClockParts(timeZone, utcMillis)).map(([type, value]) => [type, Number(value)]));
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
/** Per zone, the offset suffix per wall-clock hour; null for an hour in which the offset changes. */
const hourOffsets = new Map<string, Map<number, string | null>>();

function formatOffset(minutes: number): string {
	if (minutes === 0) return 'Z';
	const sign = minutes > 0 ? '+' : '-';
	const absolute = Math.abs(minutes);
	const hours = String(Math.floor(absolute / 60)).padStart(2, '0');
	return `${sign}${hours}:${String(absolute % 60).padStart(2, '0')}`;
}

/**
 * Asking Intl for an offset costs microseconds, and a burst of callbacks carries many times in
 * the same few hours, so each (zone, hour) is asked once. An hour in which the offset changes
 * (a DST transition) is never cached: each of its times is worked out on its own.
 */
function cachedOffset(timeZone: string, wallClockAsUtc: number): string {
	let zoneHours = hourOffsets.get(timeZone);
	if (!zoneHours) hourOffsets.set(timeZone, (zoneHours = new Map()));
	const hourStart = Math.floor(wallClockAsUtc / HOUR) * HOUR;
	let offset = zoneHours.get(hourStart);
	if (offset === undefined) {
		const first = offsetAtWallClock(timeZone, hourStart);
		offset = first === offsetAtWallClock(timeZone, hourStart + HOUR - 1000) ? formatOffset(first) : null;
		if (zoneHours.size >= MAX_CACHED_HOURS) zoneHours.clear();
		zoneHours.set(hourStart, offset);
	}
	return offset ?? formatOffset(offsetAtWallClock(timeZone, wallClockAsUtc));
}

/**
 * Turns AIRudder's zone-less "YYYY-MM-DD HH:mm:ss" into ISO-8601 with the zone's offset, e.g.
 * "2024-03-11 13:19:52" in Asia/Shanghai becomes "2024-03-11T13:19:52+08:00". Returns null for
 * anything that is not such a string (empty, "-", already ISO with a zone) and for an unknown zone,
 * which activation already reports, rather than stating a wrong instant.
 */
export function localTimeToIso(value: unknown, timeZone: string): string | null {
	if (typeof value !== 'string') return null;
	const match = LOCAL_DATE_TIME.exec(value.trim());
	if (!match || !isValidTimeZone(timeZone)) return null;
	const [, year, month, day, hour, minute, second] = match;
	const wallClockAsUtc = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second);
	return `${year}-${month}-${day}T${hour}:${minute}:${second}${cachedOffset(timeZone, wallClockAsUtc)}`;
}

/** Epoch seconds or milliseconds (told apart by size) as an ISO-8601 UTC string. */
export function epochToIso(value: unknown): string | null {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) return null;
	const millis = number >= 1e12 ? number : number * 1000;
	const date = new Date(millis);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An instant as AIRudder writes times, "YYYY-MM-DD HH:mm:ss" on the zone's wall clock. */
export function toLocalTime(utcMillis: number, timeZone: string): string {
	const { year, month, day, hour, minute, second } = wallClockParts(timeZone, utcMillis);
	return `${year}-${month}-${day} ${hour}:${minute}:${second}`;
}
