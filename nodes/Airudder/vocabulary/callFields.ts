import type { IDataObject } from 'n8n-workflow';

import { hangupTypesFilter, resultLabelsFilter } from './filterDeclarations';
import { decodeLiteralEscapes, linePerEntry } from './text';
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
