import { defineCallback } from '../Airudder/vocabulary/definition';
import { callDetail, callFilters, callSummaries, callTimeFields, isConnectedCall, taskFields } from '../Airudder/vocabulary/callFields';
import { sampleCalls, sampleTask } from '../Airudder/vocabulary/samples';
import { requiredText, z } from '../Airudder/vocabulary/schemaKit';

const schema = z.looseObject({
	...taskFields,
	task_id: requiredText('Task id'),
	details: z.array(callDetail).describe('Calls that ended at the same moment'),
});

export const definition = defineCallback({
	nodeName: 'airudderTaskCallEndedTrigger',
	displayName: 'AIRudder Task Call Ended Trigger',
	vendorName: { en: 'Webhook of Call', zh: '任务电话维度拨打结束状态通知' },
	description: 'Starts the workflow when a call of an API calling task ends, connected or after its last redial',
	webhookPath: 'task-call-ended',
	deliveryKey: ['call_id'],
	outputName: 'Calls',
	itemNoun: 'call',
	notes: 'Each item is one call, with its task fields. Info Check robots add question answers; other robots leave those columns empty.',
	schema,
	inferred: true,
	coreFields: ['task_id'],
	split: { field: 'details', renameEnvelopeFields: { robot_hash: 'task_robot_hash' } },
	timeFields: callTimeFields,
	isConnected: isConnectedCall,
	filters: callFilters,
	summaries: callSummaries,
	sample: { ...sampleTask, details: sampleCalls },
});
