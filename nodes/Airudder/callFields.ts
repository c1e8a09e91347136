import type { IDataObject } from 'n8n-workflow';

import { hangupTypesFilter, resultLabelsFilter } from './filters';
import { decodeLiteralEscapes, linePerEntry } from './items';
import { count, identifier, keyValues, listOf, requiredText, text, z } from './schemaKit';

/**
 * The task and call fields AIRudder sends in its workflow call, task and task call callbacks:
 * one vocabulary, so the same field means the same column on every trigger that carries it.
 */

const PLACEHOLDER_ANSWERS = ['', '-', '/'];

const questionAnswer = z.looseObject({
	question_name: text('Question id in the robot script, e.g. Q0'),
	answer: text('Answer code'),
	answer_text: text('What the callee said'),
	status: text('Completed, Skip, …'),
	answer_text_slot: text('Slot value extracted from the answer'),
	var: text('Expected value the answer is checked against'),
	verification_results: text('Result of checking the answer against var'),
	question_content: text('The question as asked; may contain literal \\uXXXX escapes'),
	question_type: text('whether (yes/no) or open'),
	whether_answer: text('Outcome of a yes/no question: Hangup, Skip, …'),
});

const redialAttempt = z.looseObject({
	call_id: text('Call id of this attempt'),
	call_start_time: text('Start of this attempt, account time zone'),
	ring_type: text('Ring category of this attempt'),
	ring_time: count('Ring duration in seconds'),
	hangup_type: text('Who hung up this attempt'),
	result_label: text('Intent label of this attempt'),
	callee_number: text('Number dialled'),
	caller_number: text('Number shown to the callee'),
});

export const callDetail = z.looseObject({
	id: identifier('Phone detail id'),
	callee: text('Called number'),
	result: text('created | pending | finished | cancelled | failed'),
	result_label: text('Intent label; each robot has its own labels'),
	duration: count('Call duration in seconds'),
	hangup_type: text('ByCallee | ByRobot | Canceled'),
	ring_type: text('busy, cantuse, hold, line, switchoff, outofarea, unregister, wrongnum, notmatch, normal, or null'),
	question_answer: listOf(questionAnswer, 'Info Check only: one entry per script question'),
	NerSlots: keyValues('Slots recognised during the call; vary by country'),
	robot_hash: text('Robot used for this call'),
	call_id: requiredText('Unique id of the call'),
	call_times: count('Dial attempts before the call was answered'),
	call_start_time: text('When the callee answered, account time zone'),
	call_end_time: text('When the call ended, account time zone'),
	ring_time: count('Ring duration in seconds'),
	talk_round: count('Conversation rounds'),
	redail_call: listOf(redialAttempt, 'Earlier attempts within this round'),
	intention_description: text('Intent description'),
	EventLabel: keyValues('Event labels hit during the call'),
	caller_number: text('Number shown to the callee'),
	CaseID: text('Your unique id of the customer'),
	Variables: keyValues('Custom variables of the contact'),
});

/** The task fields AIRudder sends around calls, in workflow and task callbacks alike. */
export const taskFields = {
	task_id: text('Task id'),
	task_name: text('Task name'),
	status: text('Task status: created | pending | finished | calling | canceled | paused'),
	created_at: text('Task creation time, account time zone'),
	repeat_interval: count('Minutes between redials'),
	repeat_number: count('Number of redial attempts'),
	robot_hash: text('Robot of the task'),
	robot_method: text('Type of robot used'),
	sip_line: text('Line used'),
	schedule_start_time: text('Planned task start, account time zone'),
	schedule_end_time: text('Planned task end, account time zone'),
};


/** Time fields of the task envelope and its calls, in the account's time zone. */
export const callTimeFields = {
	created_at: 'accountLocal',
	schedule_start_time: 'accountLocal',
	schedule_end_time: 'accountLocal',
	call_start_time: 'accountLocal',
	call_end_time: 'accountLocal',
} as const;

/** A call counts as connected once someone talked: AIRudder reports talk time in duration. */
export const isConnectedCall = (item: IDataObject): boolean => Number(item.duration) > 0;

export const callFilters = [
	resultLabelsFilter('result_label', 'call'),
	hangupTypesFilter('hangup_type', ['ByCallee', 'ByRobot', 'Canceled']),
];

function bestAnswer(entry: Record<string, unknown>): string {
	for (const field of ['answer_text', 'answer_text_slot', 'whether_answer', 'answer']) {
		const value = entry[field];
		if (typeof value === 'string' && !PLACEHOLDER_ANSWERS.includes(value.trim())) return value;
	}
	return '';
}

export const callSummaries = {
	question_answer: linePerEntry((entry) => {
		const question = decodeLiteralEscapes(String(entry.question_content ?? '')).trim();
		const answer = bestAnswer(entry);
		const status = entry.status ? ` (${String(entry.status)})` : '';
		return `${String(entry.question_name ?? '')} ${question}: ${answer}${status}`.trim();
	}),
};

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

export const sampleCall: IDataObject = {
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
