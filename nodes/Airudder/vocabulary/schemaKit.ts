import { z } from 'zod/v4';

/**
 * AIRudder's field types drift between countries and products (a duration as 43 or "43", an id
 * as 7325 or "7325"), so the building blocks coerce the harmless differences instead of sending
 * a genuine callback to "Invalid".
 */

export const text = (description: string) =>
	z
		.preprocess(
			(value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
			z.string().nullish(),
		)
		.describe(description);

export const requiredText = (description: string) =>
	z
		.preprocess((value) => (typeof value === 'number' ? String(value) : value), z.string())
		.describe(description);

/** Numbers also arrive as numeric strings; an empty string means "no value". */
export const count = (description: string) =>
	z
		.preprocess((value) => {
			if (typeof value !== 'string') return value;
			const trimmed = value.trim();
			if (trimmed === '') return null;
			const parsed = Number(trimmed);
			return Number.isFinite(parsed) ? parsed : value;
		}, z.number().nullish())
		.describe(description);

export const identifier = (description: string) =>
	z.union([z.string(), z.number()]).nullish().describe(description);

/**
 * An object whose keys AIRudder chooses. Not z.record: it refuses an object that owns a
 * "constructor" key, and such a key is data like any other.
 */
export const anyKeys = () => z.looseObject({});

export const keyValues = (description: string) => anyKeys().nullish().describe(description);

export const listOf = <Entry extends z.ZodType>(entry: Entry, description: string) =>
	z.array(entry).nullish().describe(description);

export { z };
