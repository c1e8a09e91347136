import type { CallbackDefinition } from '../Airudder/definition';
import { hangupTypesFilter, resultLabelsFilter } from '../Airudder/filters';
import { linePerEntry } from '../Airudder/items';
import { count, keyValues, listOf, requiredText, text, z } from '../Airudder/schemaKit';

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
	slots: listOf(z.record(z.string(), z.unknown()), 'Slot values collected by the robot'),
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

const schema = z.looseObject({
	...inboundCallFields,
	call_end_time_robot: text('When the robot part ended, UTC'),
	transfer_status: text('"2" means transferred successfully'),
	transfer_failure_reason: text('Why the transfer failed; empty on success'),
	transfer_time: text('Transfer start, UTC'),
	transfer_ring_time: text('When the agent’s phone rang, UTC'),
	transfer_success_time: text('When the agent answered, UTC'),
	transfer_strategy: text('Transfer strategy'),
	transfer_reason: text('Why the robot transferred'),
	transfer_call_id: text('Call id of the agent leg'),
});

export const inboundSummaries = {
	step_intention: linePerEntry((entry) =>
		entry.intention ? `${String(entry.newState ?? '')}: ${String(entry.intention)}` : String(entry.newState ?? ''),
	),
};

export const inboundFilters = [
	resultLabelsFilter('intention', 'call'),
	hangupTypesFilter('call_hangup_type', ['ByUser', 'ByRobot', 'ByAgent']),
];

export const definition: CallbackDefinition = {
	nodeName: 'airudderInboundTransferSucceededTrigger',
	displayName: 'AIRudder Inbound Transfer to Agent Succeeded Trigger',
	vendorName: { en: 'Notification after Successful Transfer to an Agent', zh: '转人工成功后通知' },
	description: 'Starts the workflow when an inbound voicebot call is transferred to a human agent',
	webhookPath: 'inbound-transfer-to-agent-succeeded',
	deliveryKey: ['callid', 'transfer_call_id'],
	outputName: 'Transfers',
	itemNoun: 'call',
	notes: 'Each item is one inbound call. Its times are UTC; the _iso columns say so explicitly.',
	schema,
	timeFields: {
		call_start_time: 'utcLocal',
		call_end_time_robot: 'utcLocal',
		transfer_time: 'utcLocal',
		transfer_ring_time: 'utcLocal',
		transfer_success_time: 'utcLocal',
		call_end_time: 'utcLocal',
	},
	summaries: inboundSummaries,
	filters: inboundFilters,
	sample: {
		callid: '888d4df71e7744d7bd03080aea48ea9d',
		caller_number: '0800059391',
		callee_number: '+8611111111',
		robot_id: '7325',
		robot_name: 'IB_TH_EN_COD',
		call_start_time: '2024-02-01 10:02:14',
		call_end_time_robot: '2024-02-01 10:05:22',
		transfer_status: '2',
		transfer_failure_reason: '',
		transfer_time: '2024-02-01 10:05:22',
		transfer_ring_time: '',
		transfer_success_time: '',
		transfer_strategy: 'action',
		transfer_reason: '',
		call_end_time: '2024-02-01 10:05:22',
		transfer_call_id: 'artificial_888d4df71e7744d7bd03080aea48ea9d',
		intention: 'R',
		slots: [{}],
		event_label: {},
		duration: '',
		duration_robot: 188,
		talkround: 7,
		valid_talkround: 10,
		call_hangup_type: '',
		asr_result: ['Robot: Hi, this is J&T Express, how can I help?', 'Human: Track my parcel', 'Robot: Transferring you to an agent.'],
		step_intention: [
			{ newState: 'step_Greetings', intention: '' },
			{ newState: 'step_Ask_for_Intention', intention: 'NoRecognize' },
			{ newState: 'step_transfer_to_agent', intention: '' },
		],
	},
};
