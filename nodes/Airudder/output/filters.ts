import type { IDataObject } from 'n8n-workflow';

import type { CallbackDefinition } from '../vocabulary/definition';
import { itemKeyOf } from '../values';

/** Whether an item passes; what the node's filters and repeated-delivery check decide per item. */
export type ItemPredicate = (item: IDataObject) => boolean;

function chosenValues(setting: unknown): string[] {
	const values = Array.isArray(setting) ? setting : typeof setting === 'string' ? setting.split(',') : [];
	return values.map((value) => String(value).trim().toLowerCase()).filter((value) => value !== '');
}

/** The predicate for the filters the user set; items pass when every set filter matches. */
export function matchesFiltersOf(definition: CallbackDefinition, settings: IDataObject): ItemPredicate {
	const checks: ItemPredicate[] = [];
	if (definition.isConnected && settings.connectedOnly === true) checks.push(definition.isConnected);
	for (const filter of definition.filters ?? []) {
		const field = itemKeyOf(filter.field);
		const wanted = chosenValues(settings[filter.name]);
		if (wanted.length > 0) {
			checks.push((item) => wanted.includes(String(item[field] ?? '').trim().toLowerCase()));
		}
	}
	return (item) => checks.every((check) => check(item));
}
