import { defineCallback } from '../Airudder/vocabulary/definition';
import { callDetail, callFilters, callSummaries, callTimeFields, isConnectedCall, taskFields } from '../Airudder/vocabulary/callFields';
import { sampleCalls, sampleTask } from '../Airudder/vocabulary/samples';
import { z } from '../Airudder/vocabulary/schemaKit';
import { workflowFields } from '../Airudder/vocabulary/workflowFields';

const schema = z.looseObject({
	...workflowFields,
	...taskFields,
	details: z.array(callDetail).describe('Calls that ended at the same moment'),
});

export const definition = defineCallback({
	nodeName: 'airudderWorkflowCallCompletedTrigger',
	displayName: 'AIRudder Workflow Call Completed Trigger',
	vendorName: {
		en: 'Notification of Call Completion in Workflow',
		zh: 'Workflow外呼电话拨打结束通知',
	},
	description:
		'Starts the workflow when a workflow voicebot call ends, connected or after its last redial (collection, marketing, e-commerce and info check)',
	webhookPath: 'workflow-call-completed',
	deliveryKey: ['call_id'],
	outputName: 'Calls',
	itemNoun: 'call',
	notes:
		'Each item is one call, with its task and workflow fields. Info Check robots add question answers; other robots leave those columns empty.',
	schema,
	split: { field: 'details', renameEnvelopeFields: { robot_hash: 'task_robot_hash' } },
	timeFields: callTimeFields,
	isConnected: isConnectedCall,
	filters: callFilters,
	summaries: callSummaries,
	// AIRudder publishes no recording field for this callback; its recording API is separate.
	recordings: {},
	sample: {
		workflow_id: '8e364f6729e04b5c9e1e2f4c5c2d9b2a',
		workflow_name: 'Collections reminder',
		nodetask_id: '5e4e48c5a8a14f1bb4ac4b8',
		nodetask_name: 'Voicebot Call1_67554d',
		...sampleTask,
		details: sampleCalls,
	},
});
