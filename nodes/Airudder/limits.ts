/**
 * The limits and defaults of receiving a callback, in one place: the node's options, the checks
 * and the docs read them from here.
 */

/** n8n's own default for N8N_PAYLOAD_SIZE_MAX; the lower of the two limits applies. */
export const DEFAULT_MAX_BODY_MB = 16;

/**
 * AIRudder's bodies nest four or five levels deep. Far deeper JSON parses, but n8n cannot store
 * it (serialising it overflows the stack), so it would fail after we answered 200.
 */
export const MAX_NESTING_DEPTH = 64;

/**
 * AIRudder retries a callback it thinks failed five times, a minute apart, so a repeat arrives
 * within minutes. The memory is bounded both in time and in size, because n8n rewrites a
 * workflow's static data on every change.
 */
export const DEFAULT_REMEMBER_HOURS = 24;
export const MAX_REMEMBERED_DELIVERIES = 10_000;

export const DEFAULT_RECORDING_MAX_MB = 50;
export const DEFAULT_RECORDING_TIMEOUT_SECONDS = 30;
/** Downloads of one callback run side by side up to this many, so a 100-call batch finishes in time. */
export const PARALLEL_DOWNLOADS = 4;

/** The header AIRudder signs in, unless the credential names another. */
export const DEFAULT_SIGNATURE_HEADER = 'X-AIRudder-Sign';

/** A broken callback can have thousands of problems; the Invalid item lists this many and counts the rest. */
export const MAX_LISTED_PROBLEMS = 10;

/**
 * Padding with nulls is bounded: one callback of many calls, each carrying a field no other call
 * has, would otherwise grow by calls × fields cells, enough for a 2 MB body to exhaust n8n's
 * memory. Up to this many cells, or twice the cells the rows already have, rows are padded.
 */
export const MAX_CELLS_ALWAYS_PADDED = 100_000;
