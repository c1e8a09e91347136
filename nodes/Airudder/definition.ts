import type { IDataObject } from 'n8n-workflow';
import type { z } from 'zod/v4';

/**
 * How a time field is written by AIRudder, which decides how its ISO-8601 twin is computed:
 * - accountLocal: "YYYY-MM-DD HH:mm:ss" in the AIRudder account's time zone;
 * - utcLocal: the same format, in UTC;
 * - epoch: Unix seconds or milliseconds.
 */
export type TimeFieldKind = 'accountLocal' | 'utcLocal' | 'epoch';

/** One AIRudder callback type, declared once; `createAirudderTrigger` turns it into a node. */
export interface CallbackDefinition {
	/** Node type name, as n8n stores it in workflows. Never change it once published. */
	nodeName: string;
	displayName: string;
	/** The callback's name in AIRudder's documentation, so users can match the two. */
	vendorName: { en: string; zh: string };
	/** One sentence for the node picker: when AIRudder sends this callback. */
	description: string;
	/** Last segment of the webhook URL. */
	webhookPath: string;
	/** Label of the main output, e.g. "Calls". */
	outputName: string;
	/** What one output item stands for, e.g. "call". */
	itemNoun: string;
	/** Extra sentences for the node's notice: what to expect, where the schema is unsure. */
	notes?: string;
	/** Known fields typed, unknown fields kept: AIRudder adds fields per country. */
	schema: z.ZodType<Record<string, unknown>>;
	/**
	 * For callbacks that aggregate several calls in one array: that array becomes one item per
	 * entry, each carrying the envelope's fields. Envelope fields that an entry also has are
	 * renamed, so both survive and the column names stay the same on every call.
	 */
	split?: { field: string; renameEnvelopeFields?: Record<string, string> };
	/** Flattened field names with AIRudder's time formats; Simplify adds `<name>_iso` beside them. */
	timeFields?: Record<string, TimeFieldKind>;
	/** Readable one-cell text for arrays of objects, keyed by flattened field name. */
	summaries?: Record<string, (value: unknown) => string>;
	/** A realistic payload, used by the sample sender, the docs and the tests. */
	sample: IDataObject;
}
