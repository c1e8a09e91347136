import { defineCallback } from '../Airudder/vocabulary/definition';
import { statusesFilter } from '../Airudder/vocabulary/filterDeclarations';
import { count, requiredText, text, z } from '../Airudder/vocabulary/schemaKit';

const schema = z.looseObject({
	plan_id: requiredText('Plan id'),
	plan_name: text('Plan name'),
	strategy_id: text('Strategy the plan follows'),
	strategy_name: text('Strategy name'),
	status: text('Plan status, e.g. finished'),
	created_at: text('Plan creation time, account time zone'),
	end_time: text('When the plan ended, account time zone'),
	task_count: count('Tasks the plan ran'),
});

export const definition = defineCallback({
	nodeName: 'airudderPlanEndedTrigger',
	displayName: 'AIRudder Plan Ended Trigger',
	vendorName: { en: 'Webhook of Plan', zh: '计划结束状态通知' },
	description: 'Starts the workflow when a calling plan (a strategy of task rounds) ends',
	webhookPath: 'plan-ended',
	deliveryKey: ['plan_id', 'status'],
	outputName: 'Plans',
	itemNoun: 'plan',
	notes: 'Each item is one plan.',
	schema,
	inferred: true,
	coreFields: ['plan_id'],
	timeFields: { created_at: 'accountLocal', end_time: 'accountLocal' },
	filters: [statusesFilter('plan')],
	sample: {
		plan_id: 'pl_3f2c9a71d6',
		plan_name: 'March collections',
		strategy_id: 'st_118',
		strategy_name: '3 rounds, 2 hours apart',
		status: 'finished',
		created_at: '2024-03-11 09:00:00',
		end_time: '2024-03-11 18:00:00',
		task_count: 3,
	},
});
