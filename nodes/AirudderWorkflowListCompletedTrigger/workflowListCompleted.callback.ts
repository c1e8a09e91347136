import { defineCallback } from '../Airudder/vocabulary/definition';
import { entryAsText, linePerEntry } from '../Airudder/vocabulary/text';
import { listOf, requiredText, text, z } from '../Airudder/vocabulary/schemaKit';

const step = z.looseObject({
	nodetask_id: text('Workflow node task id'),
	nodetask_name: text('Workflow node task name'),
	node_type: text('Kind of node: voicebot call, WhatsApp, …'),
	task_id: text('Task the node ran, if any'),
});

const schema = z.looseObject({
	workflow_id: requiredText('Workflow id'),
	workflow_name: text('Workflow name'),
	case_id: text('Your id of the contact'),
	callee_number: text('The contact’s number'),
	rows: listOf(step, 'The workflow nodes this contact went through'),
});

export const definition = defineCallback({
	nodeName: 'airudderWorkflowListCompletedTrigger',
	displayName: 'AIRudder Workflow List Completed Trigger',
	vendorName: { en: 'Notification for Workflow List Completion', zh: 'workflow 名单结束通知' },
	description: 'Starts the workflow when a contact of a workflow list has gone through every step',
	webhookPath: 'workflow-list-completed',
	deliveryKey: ['workflow_id', 'case_id'],
	outputName: 'Contacts',
	itemNoun: 'contact',
	notes: 'Each item is one contact; rows becomes one line per workflow node it went through.',
	schema,
	inferred: true,
	coreFields: ['workflow_id'],
	summaries: { rows: linePerEntry(entryAsText) },
	sample: {
		workflow_id: '8e364f6729e04b5c9e1e2f4c5c2d9b2a',
		workflow_name: 'Collections reminder',
		case_id: 'CASE-0001',
		callee_number: '+8618000000721',
		rows: [
			{ nodetask_id: '5e4e48c5a8a14f1bb4ac4b8', nodetask_name: 'Voicebot Call1_67554d', node_type: 'call', task_id: 'ea617807492c4d0f9c09c11650' },
			{ nodetask_id: '8fb437c7c43b35b09b5a3', nodetask_name: 'WABA Template1_232fe6', node_type: 'waba', task_id: '602ff2fc65eb89b4ee9736e' },
		],
	},
});
