import { requiredText, text } from './schemaKit';

/** The fields naming the AIRudder workflow and node behind a workflow callback. */
export const workflowFields = {
	workflow_id: requiredText('Workflow id'),
	workflow_name: text('Workflow name'),
	nodetask_id: text('Workflow node task id'),
	nodetask_name: text('Workflow node task name'),
};

/** The WhatsApp task of a workflow node, on its WhatsApp callbacks. */
export const wabaTaskFields = {
	waba_task_id: text('WhatsApp Business task id'),
	wfdetail_uuid: text('Workflow contact detail id'),
};
