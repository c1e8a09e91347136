import type { CallbackDefinition } from '../Airudder/definition';
import { messageStatuses } from '../Airudder/chat';
import { count, requiredText, text, z } from '../Airudder/schemaKit';

const schema = z.looseObject({
	workflow_id: requiredText('Workflow id'),
	workflow_name: text('Workflow name'),
	nodetask_id: text('Workflow node task id'),
	nodetask_name: text('Workflow node task name'),
	waba_task_id: text('WhatsApp Business task id'),
	wfdetail_uuid: text('Workflow contact detail id'),
	timestamp: count('When the status changed, Unix seconds'),
	channel: text('Channel, e.g. WhatsApp'),
	channel_id: text('Your channel number'),
	callee: text('The contact’s number'),
	msg_id: text('Id of the message'),
	status: requiredText('sent | delivery | read | failed'),
	error_code: text('WhatsApp error code, when the message failed'),
	error_message: text('Why the message failed'),
});

export const definition: CallbackDefinition = {
	nodeName: 'airudderWorkflowWabaMessageStatusTrigger',
	displayName: 'AIRudder Workflow WABA Message Status Changed Trigger',
	vendorName: { en: 'Notification of WABA Message Status Alteration in Workflow', zh: 'Workflow内WABA消息状态变更通知' },
	description: 'Starts the workflow when a WhatsApp message sent by a workflow is sent, delivered, read or fails',
	webhookPath: 'workflow-waba-message-status-changed',
	outputName: 'Status Changes',
	itemNoun: 'status change',
	notes: 'Each item is one status change of one message.',
	schema,
	inferred: true,
	coreFields: ['workflow_id', 'status'],
	timeFields: { timestamp: 'epoch' },
	filters: [
		{ name: 'statuses', displayName: 'Statuses', description: 'Keep only these message statuses', field: 'status', values: messageStatuses },
	],
	sample: {
		workflow_id: '4cb9db206ac04a315e4e613d2',
		workflow_name: 'Payment reminder WhatsApp',
		nodetask_id: '8fb437c7c43b35b09b5a3',
		nodetask_name: 'WABA Template1_232fe6',
		waba_task_id: '602ff2fc65eb89b4ee9736e',
		wfdetail_uuid: '4a786086d059dfb8abb1de7',
		timestamp: 1744699262,
		channel: 'WhatsApp',
		channel_id: '628900009070',
		callee: '+628900089092',
		msg_id: '05b1de120364432e9a',
		status: 'read',
		error_code: '',
		error_message: '',
	},
};
