import { defineCallback } from '../Airudder/vocabulary/definition';
import { linePerEntry } from '../Airudder/vocabulary/text';
import { count, identifier, listOf, requiredText, text, z } from '../Airudder/vocabulary/schemaKit';

const namedRef = (what: string) =>
	z.looseObject({ id: identifier(`${what} id`), name: text(`${what} name`) }).nullish();

const answeredCall = z.looseObject({
	calldate: text('When the call came in, account time zone'),
	answerdate: text('When it was answered, account time zone'),
	bill: count('Billed talk time in seconds'),
	duration: count('Talk time in seconds'),
	callid: requiredText('Unique id of the call (the record id)'),
	customer_id: text('Customer id'),
	master_user_id: text('Main account id'),
	user_id: text('Account id'),
	type: count('Account type: 4 main account, 8 sub-account'),
	intention_results: count('Intent grade, after the AI quality check when enabled'),
	rounds: count('Interaction rounds'),
	score: count('Call score'),
	number_data: z
		.looseObject({
			number: text('Caller number'),
			hangupdate: text('When the call ended, account time zone'),
			province: text('Province of the number'),
			city: text('City of the number'),
			operator: text('Carrier'),
		})
		.nullish(),
	group: namedRef('Script group'),
	task: namedRef('Task'),
	user: namedRef('Account'),
	level: z.looseObject({ level_id: text('Grade id'), level_name: text('Grade name') }).nullish(),
	tags: listOf(z.looseObject({ tag_id: text('Tag id'), name: text('Tag name') }), 'Tags set on the call'),
	customer_data: z
		.looseObject({
			name: text('Customer name'),
			email: text('Customer email'),
			company: text('Customer company'),
			extra: z.unknown().describe('Extra customer fields, usually null'),
		})
		.nullish(),
	voice_url: text('Recording link'),
});

const schema = z.looseObject({
	count: count('Number of answered calls in this callback'),
	data: z.array(answeredCall).describe('The answered calls'),
});

/** The first of two inbound calls the robot answered, which AIRudder reports in one callback. */
const sampleInboundCall = {
		calldate: '2025-09-25 21:39:55',
		answerdate: '2025-09-25 21:39:55',
		bill: 43,
		duration: 43,
		callid: '3e7ff3fb-2e65-4a51-b322-a01db56f8a90',
		customer_id: '794b99dd-1039-4049-953b-b623f8ea959a',
		master_user_id: '40863af8-db4a-41c6-a269-eb5bc386d97f',
		user_id: '40863af8-db4a-41c6-a269-eb5bc386d97f',
		type: 4,
		intention_results: 1,
		rounds: 2,
		score: 0,
		number_data: {
			number: '17534989887',
			hangupdate: '2025-09-25 21:40:38',
			province: '山西',
			city: '晋中',
			operator: '联通',
		},
		group: { id: 11032, name: 'Inbound script' },
		task: { id: 'cb4a91c2-09c0-4c71-8e67-3887f593bd4d', name: 'Inbound hotline' },
		user: { id: '40863af8-db4a-41c6-a269-eb5bc386d97f', name: 'Main account' },
		level: { level_id: '7049b435-3781-4f01-9c42-325bb12f743c', level_name: 'Grading' },
		tags: [{ tag_id: 'db97dd4e-d7d7-4f7d-bc1c-f347dacc146b', name: 'Asked about the number' }],
		customer_data: { name: 'Unknown', email: null, company: null, extra: null },
		voice_url: 'recordings.example.invalid/download-voice?key=Um5tQ1dGWXdlVGJYVUF1TDB',
};

export const definition = defineCallback({
	nodeName: 'airudderInboundCallSuccessTrigger',
	displayName: 'AIRudder Inbound Call Success Trigger',
	vendorName: { en: 'Inbound call success callback (intent-graded)', zh: '呼入成功回调数据' },
	description:
		'Starts the workflow when answered inbound calls are reported with their intent grade, one item per call',
	webhookPath: 'inbound-call-success',
	deliveryKey: ['callid'],
	outputName: 'Calls',
	itemNoun: 'call',
	notes:
		'This callback lists answered calls in "data"; each becomes its own item. When an AI quality check is configured, the intent grade is the checked one. Its time zone is not documented: times are read in the account time zone option.',
	schema,
	split: { field: 'data' },
	timeFields: {
		calldate: 'accountLocal',
		answerdate: 'accountLocal',
		number_data_hangupdate: 'accountLocal',
	},
	summaries: {
		tags: linePerEntry((entry) => String(entry.name ?? entry.tag_id ?? '')),
	},
	filters: [
		{
			name: 'intentGrades',
			displayName: 'Intent Grades',
			description: 'Keep only calls with these intent grades, e.g. 1, 2',
			field: 'intention_results',
		},
	],
	recordings: { linkField: 'voice_url' },
	sample: {
		count: 2,
		data: [
			sampleInboundCall,
			{
				...sampleInboundCall,
				calldate: '2025-09-25 21:41:02',
				answerdate: '2025-09-25 21:41:03',
				bill: 95,
				duration: 95,
				callid: '9b1c5e27-7f3a-4d2e-a8c4-5d0f3e6b71a2',
				customer_id: '1f0c7a5e-2b9d-4c8e-9f3a-6d4b2e1c0a97',
				intention_results: 2,
				rounds: 5,
				number_data: { ...sampleInboundCall.number_data, number: '17534980012', hangupdate: '2025-09-25 21:42:38' },
				tags: [],
				voice_url: 'recordings.example.invalid/download-voice?key=Vm9pY2VTZWNvbmRDYWxsMDI',
			},
		],
	},
});
