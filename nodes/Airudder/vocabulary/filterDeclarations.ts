import { pluralOf, type FilterDeclaration } from './definition';

/** Result (intent) labels differ per robot, so users type the ones they want. */
export function resultLabelsFilter(field: string, noun: string): FilterDeclaration {
	return {
		name: 'resultLabels',
		displayName: 'Result Labels',
		description: `Keep only ${pluralOf(noun)} with these result (intent) labels`,
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
		description: `Keep only ${pluralOf(noun)} with these statuses`,
		field: 'status',
		...(values ? { values } : {}),
	};
}
