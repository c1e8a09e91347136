import { hangupTypesFilter, resultLabelsFilter } from './filterDeclarations';
import { linePerEntry } from './text';
import { anyKeys, count, keyValues, listOf, requiredText, text, z } from './schemaKit';

/** Fields of every inbound voicebot call, transferred or not. Times are UTC. */
export const inboundCallFields = {
	callid: requiredText('Unique id of the call'),
	caller_number: text('The customer’s number'),
	callee_number: text('Your hotline number'),
	robot_id: text('Robot id'),
	robot_name: text('Robot name'),
	call_start_time: text('Call start, UTC'),
	call_end_time: text('Call end, UTC'),
	intention: text('Label of the robot part; each robot has its own labels'),
	slots: listOf(anyKeys(), 'Slot values collected by the robot'),
	event_label: keyValues('Event labels hit with the robot'),
	duration: count('Call duration in seconds (AIRudder sends text; emitted as a number, empty when unknown)'),
	duration_robot: count('Seconds spent with the robot'),
	talkround: count('Rounds with the robot'),
	valid_talkround: count('Rounds in which the caller answered'),
	call_hangup_type: text('ByUser | ByRobot | ByAgent, or empty'),
	asr_result: listOf(text('One line: "Robot: …" or "Human: …"'), 'Transcript of the robot part'),
	step_intention: listOf(
		z.looseObject({ newState: text('Robot step'), intention: text('Label at that step') }),
		'Label of each robot step',
	),
};

export const inboundSummaries = {
	step_intention: linePerEntry((entry) =>
		entry.intention ? `${String(entry.newState ?? '')}: ${String(entry.intention)}` : String(entry.newState ?? ''),
	),
};

export const inboundFilters = [
	resultLabelsFilter('intention', 'call'),
	hangupTypesFilter('call_hangup_type', ['ByUser', 'ByRobot', 'ByAgent']),
];
