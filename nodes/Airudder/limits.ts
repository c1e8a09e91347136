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
