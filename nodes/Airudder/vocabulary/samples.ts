import type { IDataObject } from 'n8n-workflow';

/**
 * Payload parts several definitions' samples share: what the editor shows before the first real
 * callback, and what the tests send. The vocabularies these follow are in callFields.ts, chat.ts
 * and workflowFields.ts.
 */

export const sampleTask = {
	task_id: 'ea617807492c4d0f9c09c11650',
	task_name: 'wf_Collections reminder_Voicebot Call1_d01cb6',
	status: 'calling',
	created_at: '2024-03-11 13:19:52',
	repeat_interval: 0,
	repeat_number: 3,
	robot_hash: 'a37e555f0c1d4ca7ac3575d8',
	robot_method: 'single',
	sip_line: 'CH_SOFTPHONE_LINE',
	schedule_start_time: '2024-03-11 13:21:27',
	schedule_end_time: '2024-03-11 13:52:52',
};

const sampleCall: IDataObject = {
	id: 2124875281,
	callee: '+8618000000721',
	result: 'finished',
	result_label: 'E',
	duration: 43,
	hangup_type: 'ByCallee',
	ring_type: 'normal',
	question_answer: [
		{
			question_name: 'Q0',
			answer: '/',
			answer_text: '',
			status: 'Completed',
			answer_text_slot: '-',
			var: '-',
			verification_results: '-',
			question_content: '\\u610f\\u613f\\u786e\\u8ba4 Willingness Check',
			question_type: 'whether',
			whether_answer: 'Hangup',
		},
	],
	NerSlots: { PaymentMethod: 'Transfer', PaymentTime: 'Time_0' },
	robot_hash: 'a37e555f0c1d4ca7ac3575d8',
	call_id: 'ic1689265f0a4c2fe7b7da5b5',
	call_times: 2,
	call_start_time: '2024-03-11 13:24:29',
	call_end_time: '2024-03-11 13:25:12',
	ring_time: 2,
	talk_round: 3,
	redail_call: [
		{
			call_id: 'icea62e5b9d4470982a5c2f7',
			call_start_time: '2024-03-11 13:23:34',
			ring_type: 'normal',
			ring_time: 3,
			hangup_type: 'ByCallee',
			result_label: 'F',
			callee_number: '+8618000000721',
			caller_number: '+9500000088',
		},
	],
	intention_description: 'Promise to pay',
	EventLabel: { Correct_Person: 'identity_correct_person' },
	caller_number: '+9500000088',
	CaseID: 'CASE-0001',
	Variables: { name: 'lyn', amount_due: '1200' },
};

/**
 * Three calls that ended together, as AIRudder groups them: a first test then shows what the
 * trigger is for, one row per call. Connected with a promise to pay, connected and refused, and
 * unanswered after its last redial, so the Connected Only and Result Labels filters each have
 * something to keep and something to drop.
 */
export const sampleCalls: IDataObject[] = [
	sampleCall,
	{
		...sampleCall,
		id: 2124875282,
		callee: '+8618000000722',
		result_label: 'A',
		duration: 61,
		hangup_type: 'ByRobot',
		call_id: 'ic2a7c31d84e5b4f0c9a1e6d2',
		call_times: 1,
		call_start_time: '2024-03-11 13:24:31',
		call_end_time: '2024-03-11 13:25:32',
		redail_call: [],
		intention_description: 'Refused to pay',
		CaseID: 'CASE-0002',
		Variables: { name: 'ana', amount_due: '450' },
	},
	{
		...sampleCall,
		id: 2124875283,
		callee: '+8618000000723',
		result: 'failed',
		result_label: 'F',
		duration: 0,
		hangup_type: 'Canceled',
		ring_type: 'switchoff',
		question_answer: [],
		NerSlots: {},
		call_id: 'ic3b8d42e95f6c5a1dab2f7e3',
		call_times: 3,
		call_end_time: '2024-03-11 13:25:40',
		ring_time: 0,
		talk_round: 0,
		redail_call: [],
		intention_description: '',
		EventLabel: {},
		CaseID: 'CASE-0003',
		Variables: { name: 'budi', amount_due: '980' },
	},
];

export const sampleWabaWorkflow = {
	workflow_id: '4cb9db206ac04a315e4e613d2',
	workflow_name: 'Payment reminder WhatsApp',
	nodetask_id: '8fb437c7c43b35b09b5a3',
	nodetask_name: 'WABA Template1_232fe6',
	waba_task_id: '602ff2fc65eb89b4ee9736e',
	wfdetail_uuid: '4a786086d059dfb8abb1de7',
};

export const sampleSession = {
	session_start_time: '2025-04-15T06:41:00Z',
	session_end_time: '2025-04-15T06:41:09Z',
	session_end_reason: 'user',
	intention: 'PTP',
	talk_round: 2,
};

export const sampleChat = {
	channel: 'WhatsApp',
	channel_id: '628900009070',
	callee: '+628900089092',
	call_id: 'a3f5c12ac59ad71fe6a8ea3e',
	robot_id: '4755',
	timestamp: 1744699269,
};

export const sampleMessages: IDataObject[] = [
	{
		msg_id: '05b1de120364432e9a',
		sender_type: 'chatbot',
		timestamp: 1744699261,
		status: 'read',
		content: { type: 'text', text: 'Hi Tom, your payment of 1200 is due on 2025-05-01.' },
	},
	{
		msg_id: '37c9704d464982',
		sender_type: 'user',
		timestamp: 1744699266,
		status: 'read',
		content: { type: 'text', text: 'I will pay tomorrow' },
	},
];
