import { NodeOperationError } from 'n8n-workflow';

import { lookupOptionsProperty } from '../../helpers/callItems';
import { callAirudder } from '../../transport/apiClient';
import { instantOf, toLocalTimeWithOffset } from '../../helpers/apiTime';
import type { ActionOperation } from '../operation';
import { CONTACT_PROPERTIES, readContacts, UNPUBLISHED_CONTRACT_NOTICE } from '../../helpers/contacts';
import { chosenTimeZone } from '../../../Airudder/output/itemOptions';
import { isPlainObject } from '../../../Airudder/values';

/**
 * `POST /service/cloud/workflow/createinstance` with `workflow_template_id`, `name`, `end_time`
 * ("YYYY-MM-DD HH:mm:ss+08:00") and `details`, answered `{"code": 200, "data": {"workflow_id"}}`:
 * unpublished, as one integration sends it.
 */
export const workflowCreate: ActionOperation = {
	resource: 'workflow',
	value: 'create',
	name: 'Create',
	action: 'Create a workflow instance and start calling',
	description: 'Create a workflow from one of your AIRudder workflow templates, with its first contacts, and start calling them',
	toolDescription:
		'Places real phone calls: creates an AIRudder workflow from a workflow template and starts calling the contacts given, then returns the new workflow_id. Never offered to AI agents.',
	outputDescription: 'One item per request: the `workflow_id` AIRudder gives back (and any other field of its `data`), and `contacts_sent`.',
	credential: 'airudderApi',
	placesCalls: true,
	readsInputItem: false,
	properties: [
		UNPUBLISHED_CONTRACT_NOTICE,
		{
			displayName: 'Workflow Template ID',
			name: 'workflowTemplateId',
			type: 'string',
			required: true,
			default: '',
			description: 'The ID of the AIRudder workflow template to start, from your AIRudder workspace',
		},
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'Collections reminder, 4 December',
			description: 'The name the new workflow gets in AIRudder',
		},
		{
			displayName: 'End Time',
			name: 'endTime',
			type: 'dateTime',
			required: true,
			default: '',
			description: 'When AIRudder stops calling this workflow. A time without a zone is read in the AIRudder account time zone.',
		},
		...CONTACT_PROPERTIES,
		lookupOptionsProperty(),
	],
	async run(context, itemIndex) {
		const options = context.getNodeParameter('options', itemIndex, {}) as { accountTimeZone?: string };
		const zone = chosenTimeZone(options.accountTimeZone, context.getTimezone());
		const endTime = instantOf(context.getNodeParameter('endTime', itemIndex), zone);
		if (endTime === undefined) throw new NodeOperationError(context.getNode(), 'End Time is not a date and time. Pick one, or give an ISO-8601 time.', { itemIndex });
		const details = readContacts(context, itemIndex);
		const body = await callAirudder(context, itemIndex, {
			method: 'POST',
			path: '/service/cloud/workflow/createinstance',
			body: {
				workflow_template_id: (context.getNodeParameter('workflowTemplateId', itemIndex) as string).trim(),
				name: context.getNodeParameter('name', itemIndex) as string,
				end_time: toLocalTimeWithOffset(endTime, zone),
				details,
			},
		});
		return { items: [{ ...(isPlainObject(body.sent.data) ? body.sent.data : {}), contacts_sent: details.length }] };
	},
};
