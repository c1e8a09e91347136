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

export const sampleWabaWorkflow = {
	workflow_id: '4cb9db206ac04a315e4e613d2',
	workflow_name: 'Payment reminder WhatsApp',
	nodetask_id: '8fb437c7c43b35b09b5a3',
	nodetask_name: 'WABA Template1_232fe6',
	waba_task_id: '602ff2fc65eb89b4ee9736e',
	wfdetail_uuid: '4a786086d059dfb8abb1de7',
};
