import { defineCallback } from '../Airudder/vocabulary/definition';
import { statusesFilter } from '../Airudder/vocabulary/filterDeclarations';
import { entryAsText, linePerEntry } from '../Airudder/vocabulary/text';
import { listOf, requiredText, text, z } from '../Airudder/vocabulary/schemaKit';

const action = z.looseObject({
	nodetask_id: text('Workflow node task id'),
	nodetask_name: text('Workflow node task name'),
	node_type: text('Kind of node'),
	task_id: text('Task of the node, if any'),
	task_status: text('Status of that task'),
});

const schema = z.looseObject({
	workflow_id: requiredText('Workflow id'),
	workflow_name: text('Workflow name'),
	status: requiredText('New status of the workflow'),
	actions: listOf(action, 'The workflow nodes affected'),
});

export const definition = defineCallback({
	nodeName: 'airudderWorkflowStatusChangedTrigger',
	displayName: 'AIRudder Workflow Status Changed Trigger',
	vendorName: { en: 'Notification of Workflow Status Change', zh: 'workflow 状态变更通知' },
	description: 'Starts the workflow when an AIRudder workflow starts, pauses, stops or finishes',
	webhookPath: 'workflow-status-changed',
	outputName: 'Status Changes',
	itemNoun: 'status change',
	notes: 'Each item is one status change; actions becomes one line per affected node.',
	schema,
	inferred: true,
	coreFields: ['workflow_id', 'status'],
	summaries: { actions: linePerEntry(entryAsText) },
	filters: [statusesFilter('workflow status change')],
	sample: {
		workflow_id: '8e364f6729e04b5c9e1e2f4c5c2d9b2a',
		workflow_name: 'Collections reminder',
		status: 'finished',
		actions: [
			{ nodetask_id: '5e4e48c5a8a14f1bb4ac4b8', nodetask_name: 'Voicebot Call1_67554d', node_type: 'call', task_id: 'ea617807492c4d0f9c09c11650', task_status: 'finished' },
		],
	},
});
