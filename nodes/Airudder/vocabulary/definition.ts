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

declare const untyped: unique symbol;

/** A payload the core knows nothing about, so any field name is allowed: how the core sees a definition. */
export interface UntypedPayload {
	readonly [untyped]: true;
}

/** The names a schema gives its fields, without the catch-all of a loose object. */
type NamedFields<T> = [T] extends [never]
	? never
	: T extends UntypedPayload
		? string
		: keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] } & string;

type Present<T> = Exclude<T, null | undefined>;
type FieldOf<T, K> = K extends keyof T ? T[K] : never;
/** The object a field holds, or the object entries of the list it holds; never a plain value. */
type ObjectIn<T> = (T extends ReadonlyArray<infer Entry> ? Present<Entry> : T) extends infer Value
	? Value extends object
		? Value
		: never
	: never;

/** The named fields of the objects a payload's fields hold, or of their list entries. */
type InnerFields<T> = {
	[K in NamedFields<T>]: NamedFields<ObjectIn<Present<FieldOf<T, K>>>>;
}[NamedFields<T>];

/**
 * A field an item can carry: the payload's own, one of the object it wraps or of the list entry it
 * splits into, or an envelope field's new name.
 */
export type ItemField<T, Renamed extends string = never> = NamedFields<T> | InnerFields<T> | Renamed;

/** Simplified column names of a value: its fields, and <field>_<nested> for named objects, 4 levels deep. */
type Columns<T, Depth extends unknown[] = []> = Depth['length'] extends 4
	? never
	: {
			[K in NamedFields<T>]:
				| K
				| (Present<FieldOf<T, K>> extends ReadonlyArray<unknown>
						? never
						: Present<FieldOf<T, K>> extends object
							? `${K}_${Columns<Present<FieldOf<T, K>>, [...Depth, unknown]>}`
							: never);
		}[NamedFields<T>];

/** A column of a simplified item: a column of the payload, or of the object or list entry it holds. */
export type ItemColumn<T, Renamed extends string = never> =
	| Columns<T>
	| {
			[K in NamedFields<T>]: Columns<ObjectIn<Present<FieldOf<T, K>>>>;
	  }[NamedFields<T>]
	| Renamed;

/**
 * One AIRudder callback type, declared once; `airudderTrigger` and `triggerDescription` turn it
 * into a node. `T` is what its schema parses a payload into, so every field name the definition
 * mentions is checked against the schema when the package is built.
 */
export interface CallbackDefinition<T = UntypedPayload, Renamed extends string = string> {
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
	coreFields?: ReadonlyArray<NamedFields<T>>;
	/**
	 * For callbacks that wrap their data in one object (`{"type": …, "body": {…}}`): the item is
	 * that object, with the other envelope fields beside it, renamed as given.
	 */
	unwrap?: {
		field: NamedFields<T>;
		renameEnvelopeFields?: Partial<Record<NamedFields<T>, Renamed>>;
	};
	/** Spellings AIRudder uses for the same field (`State` and `state`); items use the value's name. */
	fieldAliases?: Record<string, ItemField<T, NoInfer<Renamed>>>;
	/** Numeric codes with their meaning; Simplify adds `<field>_text` beside the code. */
	codeLabels?: Partial<Record<ItemColumn<T, NoInfer<Renamed>>, Record<string, string>>>;
	/** Whether an item is a connected call; offers the "Connected Calls Only" filter. */
	isConnected?: (item: IDataObject) => boolean;
	/**
	 * Fields that identify one delivery of an item, its call id and event, for "Ignore Repeated
	 * Deliveries". An item lacking one of them is compared as a whole.
	 */
	deliveryKey?: ReadonlyArray<ItemField<T, NoInfer<Renamed>>>;
	/** Filters on an item field, offered in the node's Filters collection. */
	filters?: FilterDeclaration[];
	/**
	 * For callbacks that aggregate several calls in one array: that array becomes one item per
	 * entry, each carrying the envelope's fields. Envelope fields that an entry also has are
	 * renamed, so both survive and the column names stay the same on every call.
	 */
	split?: {
		field: NamedFields<T>;
		renameEnvelopeFields?: Partial<Record<NamedFields<T>, Renamed>>;
	};
	/**
	 * The field in which AIRudder stamps each callback with its time, in Unix seconds or
	 * milliseconds; of a wrapped callback, a field of the wrapped object. The credential's Replay
	 * Window refuses a callback stamped further from now than the window. Without it the window
	 * does not apply, and the trigger and the credential say so.
	 */
	timestampField?: ItemField<T, NoInfer<Renamed>>;
	/** Flattened field names with AIRudder's time formats; Simplify adds `<name>_iso` beside them. */
	timeFields?: Partial<Record<ItemColumn<T, NoInfer<Renamed>>, TimeFieldKind>>;
	/**
	 * Set when items can carry a link to the call's recording, which "Download Recordings" fetches.
	 * `linkField` is the field AIRudder documents for it; without one the node looks for a field
	 * whose name says recording.
	 */
	recordings?: { linkField?: string };
	/** Readable one-cell text for arrays of objects, keyed by flattened field name. */
	summaries?: Partial<Record<ItemColumn<T, NoInfer<Renamed>>, (value: unknown) => string>>;
	/** A realistic payload, used by the sample sender, the docs and the tests. */
	sample: IDataObject;
}

/** An item noun's plural: a reply, two replies; a call, two calls. */
export const pluralOf = (noun: string): string => (/[^aeiou]y$/.test(noun) ? `${noun.slice(0, -1)}ies` : `${noun}s`);

/**
 * Declares a callback type. Its schema decides which field names the rest may use, so a misspelt
 * core field, delivery key, time field or summary fails the build instead of being ignored.
 */
export function defineCallback<
	Schema extends z.ZodObject,
	Renamed extends string = never,
	RenamedFrom extends NamedFields<z.output<Schema>> = never,
>(
	definition: CallbackDefinition<z.output<Schema>, Renamed> & {
		schema: Schema;
		// Envelope fields and their new names are inferred here, so both are checked and the new names usable.
		split?: { renameEnvelopeFields?: Record<RenamedFrom, Renamed> };
		unwrap?: { renameEnvelopeFields?: Record<RenamedFrom, Renamed> };
	},
): CallbackDefinition {
	return definition;
}
