import type { IDataObject } from 'n8n-workflow';
import type { z } from 'zod/v4';

/**
 * How a time field is written by AIRudder, which decides how its ISO-8601 twin is computed:
 * - accountLocal: "YYYY-MM-DD HH:mm:ss" in the AIRudder account's time zone;
 * - utcLocal: the same format, in UTC;
 * - epoch: Unix seconds or milliseconds.
 */
export type TimeFieldKind = 'accountLocal' | 'utcLocal' | 'epoch';

/** A filter users can set on the node; callbacks without a matching item start no execution. */
export interface FilterDeclaration {
	/** Parameter name inside the node's Filters collection. */
	name: string;
	displayName: string;
	description: string;
	/** The item field compared, as it is before Simplify. */
	field: string;
	/** Values AIRudder documents, offered as a multi-select; without them users type a list. */
	values?: Array<string | { name: string; value: string }>;
}

/** One AIRudder callback type, declared once; `airudderTrigger` and `triggerDescription` turn it into a node. */
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
	schema: z.ZodObject;
	/**
	 * Set when AIRudder has not published this body: the schema is inferred from related
	 * callbacks, and the node says so.
	 */
	inferred?: boolean;
	/**
	 * Fields a callback must carry, well-typed, to reach the main output even when other fields
	 * differ from the schema; such items carry the differences in `schema_mismatch`. Without
	 * core fields any mismatch goes to "Invalid".
	 */
	coreFields?: string[];
	/**
	 * For callbacks that wrap their data in one object (`{"type": …, "body": {…}}`): the item is
	 * that object, with the other envelope fields beside it, renamed as given.
	 */
	unwrap?: { field: string; renameEnvelopeFields?: Record<string, string> };
	/** Spellings AIRudder uses for the same field (`State` and `state`); items use the value's name. */
	fieldAliases?: Record<string, string>;
	/** Numeric codes with their meaning; Simplify adds `<field>_text` beside the code. */
	codeLabels?: Record<string, Record<string, string>>;
	/** Whether an item is a connected call; offers the "Connected Calls Only" filter. */
	isConnected?: (item: IDataObject) => boolean;
	/**
	 * Fields that identify one delivery of an item, its call id and event, for "Ignore Repeated
	 * Deliveries". An item lacking one of them is compared as a whole.
	 */
	deliveryKey?: string[];
	/** Filters on an item field, offered in the node's Filters collection. */
	filters?: FilterDeclaration[];
	/**
	 * For callbacks that aggregate several calls in one array: that array becomes one item per
	 * entry, each carrying the envelope's fields. Envelope fields that an entry also has are
	 * renamed, so both survive and the column names stay the same on every call.
	 */
	split?: { field: string; renameEnvelopeFields?: Record<string, string> };
	/**
	 * The field in which AIRudder stamps each callback with its time, in Unix seconds or
	 * milliseconds; of a wrapped callback, a field of the wrapped object. The credential's Replay
	 * Window refuses a callback stamped further from now than the window. Without it the window
	 * does not apply, and the trigger and the credential say so.
	 */
	timestampField?: string;
	/** Flattened field names with AIRudder's time formats; Simplify adds `<name>_iso` beside them. */
	timeFields?: Record<string, TimeFieldKind>;
	/**
	 * Set when items can carry a link to the call's recording, which "Download Recordings" fetches.
	 * `linkField` is the field AIRudder documents for it; without one the node looks for a field
	 * whose name says recording.
	 */
	recordings?: { linkField?: string };
	/** Readable one-cell text for arrays of objects, keyed by flattened field name. */
	summaries?: Record<string, (value: unknown) => string>;
	/** A realistic payload, used by the sample sender, the docs and the tests. */
	sample: IDataObject;
}
