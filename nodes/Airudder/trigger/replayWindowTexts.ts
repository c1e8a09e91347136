import type { CallbackDefinition } from '../vocabulary/definition';

/**
 * What the editor says about the credential's Replay Window. Which callbacks are stamped comes
 * from each definition's `timestampField`, so what the credential and the triggers say cannot
 * drift from what the check does.
 */

/** The trigger's sentence about the window, in its trigger panel. */
export function replayWindowNotice(definition: CallbackDefinition): string {
	return definition.timestampField
		? `This callback carries a timestamp, in its ${definition.timestampField} field, so the credential's Replay Window applies to it: set the window to refuse callbacks stamped more than that many seconds from now.`
		: `This callback carries no timestamp, so the credential's Replay Window does not apply to it. To drop a ${definition.itemNoun} AIRudder delivers twice, turn on Options → Ignore Repeated Deliveries.`;
}

/** The trigger's name without the words every AIRudder trigger's name has. */
function shortName(definition: CallbackDefinition): string {
	return definition.displayName.replace(/^AIRudder /, '').replace(/ Trigger$/, '');
}

/** The credential field's description, naming the triggers whose callbacks carry a timestamp. */
export function replayWindowDescription(definitions: CallbackDefinition[]): string {
	const stamped = definitions
		.filter((definition) => definition.timestampField)
		.map(shortName)
		.sort();
	const list = stamped.length > 1 ? `${stamped.slice(0, -1).join(', ')} and ${stamped.at(-1)}` : stamped.join('');
	return `Refuse callbacks whose timestamp is more than this many seconds from now. 0 turns it off. AIRudder retries for 5 minutes, so use at least 600. Only these triggers receive callbacks with a timestamp, so only they check it: ${list}. Every other trigger ignores this setting.`;
}
