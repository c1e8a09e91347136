import { localTimeToIso, toLocalTime } from '../../Airudder/time';

const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The instant a date field holds. n8n's date picker gives a time without a zone, which is read on
 * the AIRudder account's wall clock; an expression such as `{{ $now }}` gives one with a zone.
 * Undefined when it is no time at all.
 */
export function instantOf(value: unknown, accountTimeZone: string): number | undefined {
	const text = String(value ?? '').trim();
	if (text === '') return undefined;
	const withZone = HAS_ZONE.test(text) ? text : localTimeToIso(text.replace('T', ' ').replace(/\.\d+$/, ''), accountTimeZone);
	const millis = withZone === null ? Number.NaN : Date.parse(withZone);
	return Number.isNaN(millis) ? undefined : millis;
}

/**
 * An instant as AIRudder's workflow API takes it, "YYYY-MM-DD HH:mm:ss+08:00" (one integration
 * shows this form for `end_time`).
 */
export function toLocalTimeWithOffset(utcMillis: number, timeZone: string): string {
	const local = toLocalTime(utcMillis, timeZone);
	const iso = localTimeToIso(local, timeZone) ?? '';
	const offset = iso.endsWith('Z') ? '+00:00' : iso.slice(-6);
	return `${local}${offset}`;
}

/** [start, end) cut into consecutive windows of at most `windowMs`. */
export function timeWindows(startMs: number, endMs: number, windowMs: number): Array<[number, number]> {
	const windows: Array<[number, number]> = [];
	for (let from = startMs; from < endMs; from += windowMs) windows.push([from, Math.min(from + windowMs, endMs)]);
	return windows;
}
