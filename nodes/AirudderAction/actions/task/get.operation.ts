import { lookupKeyColumnsProperties, lookupOptionsProperty, lookupSimplifyProperty, taskCallItems, taskIdProperty } from '../../helpers/callItems';
import type { ActionOperation } from '../operation';
import { callbackDefinitionNamed } from '../../../catalogue';

const definition = callbackDefinitionNamed.taskCallEnded;

/** `GET /service/cloud/detail?TaskID=…` (published); its answer, the task with details[], is inferred. */
export const taskGet: ActionOperation = {
	resource: 'task',
	value: 'get',
	name: 'Get',
	action: 'Get a task and its calls',
	description: 'Get a calling task with its calls, one item per call as the Task Call Ended trigger gives it',
	toolDescription:
		'Look up one AIRudder calling task by its Task ID and return one item per call: who was called (callee_number, CaseID), the result, result_label and intention_description, when (call_start_time_iso) and how long (duration, in seconds). Fill Task ID.',
	outputDescription: 'One item per call of the task, as the Task Call Ended trigger gives it; with Simplify off, AIRudder\'s answer as sent, one item per request.',
	givesItemsOf: definition,
	credential: 'airudderApi',
	placesCalls: false,
	readsInputItem: false,
	properties: [taskIdProperty('The task_id AIRudder gave the calling task'), lookupSimplifyProperty(definition), ...lookupKeyColumnsProperties(definition), lookupOptionsProperty()],
	async run(context, itemIndex) {
		const items = await taskCallItems(context, itemIndex, definition, (taskId) => ({
			method: 'GET',
			path: '/service/cloud/detail',
			query: { TaskID: taskId },
		}));
		return { items };
	},
};
