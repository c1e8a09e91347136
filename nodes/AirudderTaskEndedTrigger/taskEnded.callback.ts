import { defineCallback } from '../Airudder/vocabulary/definition';
import { statusesFilter } from '../Airudder/vocabulary/filterDeclarations';
import { taskFields } from '../Airudder/vocabulary/callFields';
import { requiredText, z } from '../Airudder/vocabulary/schemaKit';

const schema = z.looseObject({ ...taskFields, task_id: requiredText('Task id') });

export const definition = defineCallback({
	nodeName: 'airudderTaskEndedTrigger',
	displayName: 'AIRudder Task Ended Trigger',
	vendorName: { en: 'Webhook of Task', zh: '任务结束状态通知' },
	description: 'Starts the workflow when an API calling task ends (collection, telemarketing & e-commerce, info check)',
	webhookPath: 'task-ended',
	deliveryKey: ['task_id', 'status'],
	outputName: 'Tasks',
	itemNoun: 'task',
	notes: 'Each item is one task. The fields are those of AIRudder’s task details.',
	schema,
	inferred: true,
	coreFields: ['task_id'],
	timeFields: { created_at: 'accountLocal', schedule_start_time: 'accountLocal', schedule_end_time: 'accountLocal' },
	filters: [statusesFilter('task')],
	sample: {
		task_id: 'ea617807492c4d0f9c09c11650',
		task_name: 'Collections 2024-03-11',
		status: 'finished',
		created_at: '2024-03-11 13:19:52',
		repeat_interval: 30,
		repeat_number: 3,
		robot_hash: 'a37e555f0c1d4ca7ac3575d8',
		robot_method: 'single',
		sip_line: 'CH_SOFTPHONE_LINE',
		schedule_start_time: '2024-03-11 13:21:27',
		schedule_end_time: '2024-03-11 18:00:00',
	},
});
