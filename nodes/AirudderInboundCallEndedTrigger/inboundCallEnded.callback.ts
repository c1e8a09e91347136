import { defineCallback } from '../Airudder/vocabulary/definition';
import {
	inboundCallFields,
	inboundFilters,
	inboundSummaries,
} from '../Airudder/vocabulary/inboundFields';
import { z } from '../Airudder/vocabulary/schemaKit';

export const definition = defineCallback({
	nodeName: 'airudderInboundCallEndedTrigger',
	displayName: 'AIRudder Inbound Call Ended Trigger',
	vendorName: { en: 'Notification after the Call Ends', zh: '电话结束后通知' },
	description: 'Starts the workflow when an inbound voicebot call ends',
	webhookPath: 'inbound-call-ended',
	deliveryKey: ['callid'],
	outputName: 'Calls',
	itemNoun: 'call',
	notes: 'Each item is one inbound call. Its times are UTC; the _iso columns say so explicitly.',
	schema: z.looseObject(inboundCallFields),
	inferred: true,
	coreFields: ['callid'],
	timeFields: { call_start_time: 'utcLocal', call_end_time: 'utcLocal' },
	summaries: inboundSummaries,
	filters: inboundFilters,
	sample: {
		callid: '5c1f0e2d9b7a4c3e8f6a2b1d0c9e8f7a',
		caller_number: '0800059391',
		callee_number: '+8611111111',
		robot_id: '7325',
		robot_name: 'IB_TH_EN_COD',
		call_start_time: '2024-02-01 10:02:14',
		call_end_time: '2024-02-01 10:04:01',
		intention: 'A',
		slots: [{ parcel_id: 'TH0123456789' }],
		event_label: {},
		duration: '107',
		duration_robot: 107,
		talkround: 4,
		valid_talkround: 4,
		call_hangup_type: 'ByUser',
		asr_result: ['Robot: Hi, this is J&T Express, how can I help?', 'Human: Where is my parcel', 'Robot: It arrives tomorrow.'],
		step_intention: [
			{ newState: 'step_Greetings', intention: '' },
			{ newState: 'step_Track_Parcel', intention: 'A' },
		],
	},
});
