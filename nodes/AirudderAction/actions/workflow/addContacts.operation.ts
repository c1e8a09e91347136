import { callAirudder } from '../../transport/apiClient';
import type { ActionOperation } from '../operation';
import { CONTACT_PROPERTIES, readContacts, UNPUBLISHED_CONTRACT_NOTICE } from '../../helpers/contacts';
import { isPlainObject } from '../../../Airudder/values';

/** `POST /service/cloud/workflow/uploaddetails` with `workflow_id` and `details`: unpublished, as one integration sends it. */
export const workflowAddContacts: ActionOperation = {
	resource: 'workflow',
	value: 'addContacts',
	name: 'Add Contacts',
	action: 'Add contacts to a workflow and call them',
	description: 'Add contacts to a running AIRudder workflow, which then calls them',
	toolDescription:
		'Places real phone calls: adds contacts to a running AIRudder workflow, which calls them at once, and returns how many were sent. Never offered to AI agents.',
	outputDescription: 'One item per request: the `workflow_id`, any field of AIRudder\'s `data`, and `contacts_sent`.',
	credential: 'airudderApi',
	placesCalls: true,
	readsInputItem: false,
	properties: [
		UNPUBLISHED_CONTRACT_NOTICE,
		{
			displayName: 'Workflow ID',
			name: 'workflowId',
			type: 'string',
			required: true,
			default: '',
			description: 'The workflow_id of a running workflow, as Create gives it',
		},
		...CONTACT_PROPERTIES,
	],
	async run(context, itemIndex) {
		const workflowId = (context.getNodeParameter('workflowId', itemIndex) as string).trim();
		const details = readContacts(context, itemIndex);
		const body = await callAirudder(context, itemIndex, {
			method: 'POST',
			path: '/service/cloud/workflow/uploaddetails',
			body: { workflow_id: workflowId, details },
		});
		return { items: [{ workflow_id: workflowId, ...(isPlainObject(body.sent.data) ? body.sent.data : {}), contacts_sent: details.length }] };
	},
};
