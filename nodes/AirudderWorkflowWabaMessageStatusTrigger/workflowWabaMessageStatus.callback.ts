import { defineCallback } from '../Airudder/vocabulary/definition';
import { deliveryFields, deliveryFilters } from '../Airudder/vocabulary/chat';
import { count, text, z } from '../Airudder/vocabulary/schemaKit';
import { sampleWabaWorkflow } from '../Airudder/vocabulary/samples';
import { wabaTaskFields, workflowFields } from '../Airudder/vocabulary/workflowFields';

const schema = z.looseObject({
	...workflowFields,
	...wabaTaskFields,
	timestamp: count('When the status changed, Unix seconds'),
	channel: text('Channel, e.g. WhatsApp'),
	channel_id: text('Your channel number'),
	callee: text('The contact’s number'),
	...deliveryFields,
});

export const definition = defineCallback({
	nodeName: 'airudderWorkflowWabaMessageStatusTrigger',
	displayName: 'AIRudder Workflow WABA Message Status Changed Trigger',
	vendorName: { en: 'Notification of WABA Message Status Alteration in Workflow', zh: 'Workflow内WABA消息状态变更通知' },
	description: 'Starts the workflow when a WhatsApp message sent by a workflow is sent, delivered, read or fails',
	webhookPath: 'workflow-waba-message-status-changed',
	deliveryKey: ['msg_id', 'status'],
	outputName: 'Status Changes',
	itemNoun: 'status change',
	notes: 'Each item is one status change of one message.',
	schema,
	inferred: true,
	coreFields: ['workflow_id', 'status'],
	timestampField: 'timestamp',
	timeFields: { timestamp: 'epoch' },
	filters: deliveryFilters,
	sample: {
		...sampleWabaWorkflow,
		timestamp: 1744699262,
		channel: 'WhatsApp',
		channel_id: '628900009070',
		callee: '+628900089092',
		msg_id: '05b1de120364432e9a',
		status: 'read',
		error_code: '',
		error_message: '',
	},
});
