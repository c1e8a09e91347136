import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { isPlainObject } from '../../Airudder/values';

/**
 * Contacts for AIRudder's workflow API, `details: [{callee, variables}]`, as one integration sends
 * them (unpublished). Shared by Create and Add Contacts.
 */

export const UNPUBLISHED_CONTRACT_NOTICE: INodeProperties = {
	displayName:
		'This places real calls. AIRudder has not published this request: it follows the one integration known to use it. Try it with a test list first; if AIRudder refuses a field, use an HTTP Request node with the AIRudder API credential.',
	name: 'unpublishedNotice',
	type: 'notice',
	default: '',
};

export const CONTACT_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Contacts',
		name: 'contactsInput',
		type: 'options',
		options: [
			{ name: 'List of Contacts (JSON)', value: 'json', description: 'A list of {"callee", "variables"}, e.g. the output of an Aggregate node' },
			{ name: 'This Item Is One Contact', value: 'fields', description: 'Callee and Variables from this input item: one contact per item' },
		],
		default: 'fields',
	},
	{
		displayName: 'Callee',
		name: 'callee',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+6281234567890',
		description: 'The phone number to call, as AIRudder expects it (usually with the country code); map it from the sheet or CRM column',
		displayOptions: { show: { contactsInput: ['fields'] } },
	},
	{
		displayName: 'Variables',
		name: 'variables',
		type: 'json',
		default: '{}',
		description: 'The values the workflow’s robot speaks or uses, by variable name, e.g. {"name": "Ana", "amount": "120"}',
		displayOptions: { show: { contactsInput: ['fields'] } },
	},
	{
		displayName: 'Contact List',
		name: 'contactList',
		type: 'json',
		required: true,
		default: '[]',
		description: 'A JSON list of contacts, each {"callee": "…", "variables": {…}}',
		displayOptions: { show: { contactsInput: ['json'] } },
	},
];

function jsonParameter(context: IExecuteFunctions, itemIndex: number, name: string, label: string): unknown {
	const value = context.getNodeParameter(name, itemIndex);
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch {
		throw new NodeOperationError(context.getNode(), `${label} is not valid JSON. Fix it, or map it with an expression.`, { itemIndex });
	}
}

function contactOf(context: IExecuteFunctions, itemIndex: number, entry: unknown, position: string): IDataObject {
	const invalid = (why: string) => new NodeOperationError(context.getNode(), `The contact ${position} ${why}.`, { itemIndex });
	if (!isPlainObject(entry)) throw invalid('is not an object with "callee" and "variables"');
	const callee = typeof entry.callee === 'number' ? String(entry.callee) : entry.callee;
	if (typeof callee !== 'string' || callee.trim() === '') throw invalid('has no callee: give each contact a phone number');
	const variables = entry.variables ?? {};
	if (!isPlainObject(variables)) throw invalid('has variables that are not an object of name and value: write them as {"name": "value"}');
	return { callee: callee.trim(), variables };
}

/** The contacts of this input item, checked, as AIRudder's `details`. */
export function readContacts(context: IExecuteFunctions, itemIndex: number): IDataObject[] {
	if (context.getNodeParameter('contactsInput', itemIndex) === 'fields') {
		const contact = { callee: context.getNodeParameter('callee', itemIndex), variables: jsonParameter(context, itemIndex, 'variables', 'Variables') };
		return [contactOf(context, itemIndex, contact, 'in Callee and Variables')];
	}
	const list = jsonParameter(context, itemIndex, 'contactList', 'Contact List');
	if (!Array.isArray(list) || list.length === 0) {
		throw new NodeOperationError(context.getNode(), 'Contact List is not a list with at least one contact. Give a JSON list such as [{"callee": "+6281234567890", "variables": {}}].', { itemIndex });
	}
	return list.map((entry, index) => contactOf(context, itemIndex, entry, `at position ${index + 1} of Contact List`));
}
