import type { CallbackDefinition } from '../vocabulary/definition';
import type { ItemOptions } from './items';

export function usesAccountTime(definition: CallbackDefinition): boolean {
	return Object.values(definition.timeFields ?? {}).includes('accountLocal');
}

/**
 * The zone AIRudder's local times are read in: the one chosen, else the workflow's; UTC for a
 * definition without account-local times, whose items then never depend on it.
 */
export function accountTimeZoneOf(definition: CallbackDefinition, chosen: unknown, workflowTimeZone: string): string {
	return usesAccountTime(definition) ? chosenTimeZone(chosen, workflowTimeZone) : 'UTC';
}

/** The AIRudder Account Time Zone option's value, its empty choice standing for the workflow's zone. */
export function chosenTimeZone(chosen: unknown, workflowTimeZone: string): string {
	return (typeof chosen === 'string' ? chosen : '') || workflowTimeZone;
}

/**
 * The item options as they apply to one callback type: Output only where calls can come grouped,
 * the account's time zone only where AIRudder sends account-local times.
 */
export function itemOptionsFor(definition: CallbackDefinition, chosen: ItemOptions): ItemOptions {
	return {
		mode: definition.split ? chosen.mode : 'perItem',
		simplify: chosen.simplify,
		accountTimeZone: accountTimeZoneOf(definition, chosen.accountTimeZone, chosen.accountTimeZone),
	};
}
