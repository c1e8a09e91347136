import { defineCallback } from '../Airudder/vocabulary/definition';
import { count, keyValues, requiredText, text, z } from '../Airudder/vocabulary/schemaKit';

const HANGUP_REASONS: Record<string, string> = {
	0: 'Unknown',
	1: 'No agent after answer',
	2: 'Normal',
	3: 'Busy',
	4: 'Not in use',
	5: 'Hold',
	6: 'Switched off',
	7: 'Out of area',
	8: 'Invalid number',
	9: 'Wrong number',
	12: 'Talked',
	13: 'Agent rejected',
	14: 'User hung up',
	15: 'Fusing',
	16: 'Answering machine (AMD)',
	17: 'Agent network failed',
	18: 'Call-attempt limit',
	19: 'Contact abandoned shortly',
	20: 'Do not call',
};

const STATES = ['CALLING', 'RINGING', 'ANSWERED', 'HANGUP', 'TALKRESULT', 'Finished'];

const body = z.looseObject({
	taskId: text('Task id'),
	taskName: text('Task name'),
	callid: text('Call id'),
	phoneNumber: text('Contact number'),
	mainNumber: text('Main number of the contact'),
	phoneTag: text('Tag of the number'),
	agentName: text('Agent'),
	state: text('Task and contact events: CALLING, RINGING, ANSWERED, HANGUP, TALKRESULT, Finished'),
	State: text('Agent events spell it State; items always use state'),
	timestamp: count('When the event happened, Unix milliseconds'),
	customerInfo: keyValues('Contact fields you uploaded'),
	customizeResults: keyValues('Results the agent recorded'),
	talkremarks: text('Agent remarks'),
	hangupReason: count('Hang-up reason code'),
	recLink: text('Link to the recording'),
	nthCall: count('Attempt number'),
});

const schema = z.looseObject({
	type: requiredText('TaskStatus | ContactStatus | AgentStatus'),
	body: body.nullish().describe('The event'),
});

export const definition = defineCallback({
	nodeName: 'airudderPredictiveDialerTrigger',
	displayName: 'AIRudder Predictive Dialer Trigger',
	vendorName: { en: 'Webhooks of the Info of Predictive Dialer System', zh: '预测式外呼信息回调' },
	description: 'Starts the workflow when a predictive-dialer task, contact or agent changes status (all three arrive on one URL)',
	webhookPath: 'predictive-dialer-status',
	deliveryKey: ['callid', 'event', 'state', 'timestamp'],
	outputName: 'Events',
	itemNoun: 'event',
	notes: 'Each item is one event; its event column says TaskStatus, ContactStatus or AgentStatus. Give AIRudder this one URL for all three.',
	schema,
	inferred: true,
	coreFields: ['type'],
	unwrap: { field: 'body', renameEnvelopeFields: { type: 'event' } },
	fieldAliases: { State: 'state' },
	codeLabels: { hangupReason: HANGUP_REASONS },
	timestampField: 'timestamp',
	timeFields: { timestamp: 'epoch' },
	isConnected: (item) => Number(item.hangupReason) === 12 || ['ANSWERED', 'TALKRESULT'].includes(String(item.state)),
	filters: [
		{
			name: 'events',
			displayName: 'Events',
			description: 'Keep only these events',
			field: 'event',
			values: [
				{ name: 'Task Status', value: 'TaskStatus' },
				{ name: 'Contact Status', value: 'ContactStatus' },
				{ name: 'Agent Status', value: 'AgentStatus' },
			],
		},
		{ name: 'states', displayName: 'States', description: 'Keep only events with these states', field: 'state', values: STATES },
		{
			name: 'hangupReasons',
			displayName: 'Hang-Up Reasons',
			description: 'Keep only events with these hang-up reasons',
			field: 'hangupReason',
			values: Object.entries(HANGUP_REASONS).map(([value, name]) => ({ name: `${value} ${name}`, value })),
		},
	],
	recordings: { linkField: 'recLink' },
	sample: {
		type: 'ContactStatus',
		body: {
			taskId: '69f531a01a9df58aa6de2487be610abb',
			taskName: 'Collections PDS 2025-04-15',
			callid: 'pds-7e2a9c41b0',
			phoneNumber: '+8618000000721',
			mainNumber: '+8618000000721',
			phoneTag: 'mobile',
			agentName: 'agent007',
			state: 'TALKRESULT',
			timestamp: 1744699269123,
			customerInfo: { name: 'lyn', amount_due: '1200' },
			customizeResults: { result: 'PTP', promise_date: '2025-04-20' },
			talkremarks: 'Promised to pay on Sunday',
			hangupReason: 12,
			recLink: 'https://recordings.example.com/pds-7e2a9c41b0.mp3',
			nthCall: 1,
		},
	},
});
