import type { INodeProperties } from 'n8n-workflow';

import type { CallbackDefinition } from '../vocabulary/definition';

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
