import type { CallbackDefinition } from '../vocabulary/definition';
import { isPlainObject } from '../values';

/**
 * The credential's Replay Window, which only callbacks stamped with their time can be checked
 * against; which are stamped comes from each definition's `timestampField`.
 */

/** The callback's timestamp in Unix seconds; AIRudder writes seconds or milliseconds. */
export function timestampSecondsOf(definition: CallbackDefinition, payload: unknown): number | undefined {
	if (!definition.timestampField || !isPlainObject(payload)) return undefined;
	const stamped = definition.unwrap ? payload[definition.unwrap.field] : payload;
	const raw = isPlainObject(stamped) ? stamped[definition.timestampField] : undefined;
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
	return value >= 1e12 ? value / 1000 : value;
}
