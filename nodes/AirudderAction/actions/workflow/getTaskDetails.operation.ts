import { lookupKeyColumnsProperties, lookupOptionsProperty, lookupSimplifyProperty, taskCallItems, taskIdProperty } from '../../helpers/callItems';
import type { ActionOperation } from '../operation';
import { callbackDefinitionNamed } from '../../../catalogue';

const definition = callbackDefinitionNamed.workflowCallCompleted;

/**
 * `POST /service/cloud/workflow/taskdetail`: the path is published, its body is not. AIRudder says
 * it answers as `/service/cloud/detail` plus the workflow fields, so it is sent the task as
 * `{"task_id": …}`, in the workflow API's snake case (inferred).
 */
export const workflowGetTaskDetails: ActionOperation = {
	resource: 'workflow',
	value: 'getTaskDetails',
	name: 'Get Task Details',
	action: 'Get a workflow task and its calls',
	description: 'Get one task of a workflow with its calls, one item per call as the Workflow Call Completed trigger gives it',
	toolDescription:
		'Look up one calling task of an AIRudder workflow by its Task ID and return one item per call with callee_number, CaseID, result, result_label, intention_description, call_start_time_iso and duration. Fill Task ID.',
	outputDescription: 'One item per call of the workflow task, as the Workflow Call Completed trigger gives it; with Simplify off, AIRudder\'s answer as sent.',
	givesItemsOf: definition,
	credential: 'airudderApi',
	placesCalls: false,
	readsInputItem: false,
	properties: [
		{
			displayName:
				'AIRudder publishes this request’s path but not its body: the node sends {"task_id": …}. If AIRudder answers that a field is missing, use an HTTP Request node with the AIRudder API credential meanwhile.',
			name: 'unpublishedNotice',
			type: 'notice',
			default: '',
		},
		taskIdProperty('The task_id of the workflow’s calling task, as the Workflow Call Completed trigger gives it'),
		lookupSimplifyProperty(definition), ...lookupKeyColumnsProperties(definition),
		lookupOptionsProperty(),
	],
	async run(context, itemIndex) {
		const items = await taskCallItems(context, itemIndex, definition, (taskId) => ({
			method: 'POST',
			path: '/service/cloud/workflow/taskdetail',
			body: { task_id: taskId },
		}));
		return { items };
	},
};
