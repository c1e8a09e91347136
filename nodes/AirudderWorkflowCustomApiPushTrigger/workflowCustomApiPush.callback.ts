import { defineCallback } from '../Airudder/vocabulary/definition';
import { requiredText, text, z } from '../Airudder/vocabulary/schemaKit';

const callee = z.looseObject({
	case_id: text('Your id of the contact'),
	callee_name: text('Contact name'),
	callee_gender: text('Contact gender'),
	callee_number: text('Contact number'),
	platform_name: text('Your platform name'),
});

const schema = z.looseObject({
	workflow_id: requiredText('Workflow id'),
	workflow_name: text('Workflow name'),
	node_id: text('Id of the Custom API node'),
	node_name: text('Name of the Custom API node'),
	callee: callee.nullish().describe('The contact, with any extra_* fields you configured'),
});

export const definition = defineCallback({
	nodeName: 'airudderWorkflowCustomApiPushTrigger',
	displayName: 'AIRudder Workflow Custom API Node Data Push Trigger',
	vendorName: { en: 'Custom API Node Data Push', zh: '自定义API 节点数据推送' },
	description: 'Starts the workflow when a contact reaches a Custom API node of an AIRudder workflow',
	webhookPath: 'workflow-custom-api-data-push',
	outputName: 'Contacts',
	itemNoun: 'contact',
	notes: 'Each item is one contact; with Simplify on, its fields become callee_* columns, including your extra_* fields.',
	schema,
	inferred: true,
	coreFields: ['workflow_id'],
	sample: {
		workflow_id: '8e364f6729e04b5c9e1e2f4c5c2d9b2a',
		workflow_name: 'Collections reminder',
		node_id: 'node_custom_api_1',
		node_name: 'Push to CRM',
		callee: {
			case_id: 'CASE-0001',
			callee_name: 'lyn',
			callee_gender: 'female',
			callee_number: '+8618000000721',
			platform_name: 'crm',
			extra_amount_due: '1200',
		},
	},
});
