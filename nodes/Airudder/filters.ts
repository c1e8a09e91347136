import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { CallbackDefinition, FilterDeclaration } from './definition';

/** Whether an item passes; what the node's filters and repeated-delivery check decide per item. */
export type ItemPredicate = (item: IDataObject) => boolean;

/** Result (intent) labels differ per robot, so users type the ones they want. */
export function resultLabelsFilter(field: string, noun: string): FilterDeclaration {
	return {
		name: 'resultLabels',
		displayName: 'Result Labels',
		description: `Keep only ${noun}s with these result (intent) labels`,
		field,
	};
}

export function hangupTypesFilter(field: string, values: string[]): FilterDeclaration {
	return { name: 'hangupTypes', displayName: 'Hang-Up Types', description: 'Keep only calls ended this way', field, values };
}

/** Without documented values, users type the statuses they want. */
export function statusesFilter(noun: string, values?: string[]): FilterDeclaration {
	return {
		name: 'statuses',
		displayName: 'Statuses',
		description: `Keep only ${noun}s with these statuses`,
		field: 'status',
		...(values ? { values } : {}),
	};
}

/** The node's Filters collection, when the callback carries an outcome worth filtering on. */
export function filtersProperty(definition: CallbackDefinition): INodeProperties | undefined {
	const options: INodeProperties[] = [];
	if (definition.isConnected) {
		options.push({
			displayName: 'Connected Calls Only',
			name: 'connectedOnly',
			type: 'boolean',
			default: true,
			description: 'Whether to keep only connected calls: answered, with someone talking',
		});
	}
	for (const filter of definition.filters ?? []) {
		options.push(
			filter.values
				? {
						displayName: filter.displayName,
						name: filter.name,
						type: 'multiOptions',
						options: filter.values.map((value) => (typeof value === 'string' ? { name: value, value } : value)),
						default: [],
						description: filter.description,
					}
				: {
						displayName: filter.displayName,
						name: filter.name,
						type: 'string',
						default: '',
						placeholder: 'e.g. PTP, Callback',
						description: `${filter.description}. Separate several with commas; the match ignores case.`,
					},
		);
	}
	if (options.length === 0) return undefined;
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Callbacks left with no item start no execution; AIRudder still gets 200',
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

function chosenValues(setting: unknown): string[] {
	const values = Array.isArray(setting) ? setting : typeof setting === 'string' ? setting.split(',') : [];
	return values.map((value) => String(value).trim().toLowerCase()).filter((value) => value !== '');
}

/** The predicate for the filters the user set; items pass when every set filter matches. */
export function matchesFiltersOf(definition: CallbackDefinition, settings: IDataObject): ItemPredicate {
	const checks: ItemPredicate[] = [];
	if (definition.isConnected && settings.connectedOnly === true) checks.push(definition.isConnected);
	for (const filter of definition.filters ?? []) {
		const wanted = chosenValues(settings[filter.name]);
		if (wanted.length > 0) {
			checks.push((item) => wanted.includes(String(item[filter.field] ?? '').trim().toLowerCase()));
		}
	}
	return (item) => checks.every((check) => check(item));
}
