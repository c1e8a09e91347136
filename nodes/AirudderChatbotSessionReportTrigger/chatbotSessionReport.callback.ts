import type { CallbackDefinition } from '../Airudder/definition';
import { chatFields, message, sampleChat, sampleMessages, transcript } from '../Airudder/chat';
import { count, keyValues, listOf, text, z } from '../Airudder/schemaKit';

const schema = z.looseObject({
	...chatFields,
	session_start_time: text('Session start, ISO-8601 UTC'),
	session_end_time: text('Session end, ISO-8601 UTC'),
	session_end_reason: text('robot | agent | error | expire | user'),
	intention: text('Session result label'),
	talk_round: count('Conversation rounds'),
	ner_slots: keyValues('Slots recognised in the session'),
	event_label: keyValues('Event labels hit in the session'),
	variables: keyValues('Custom variables of the contact'),
	messages: listOf(message, 'The conversation, oldest first'),
});

export const definition: CallbackDefinition = {
	nodeName: 'airudderChatbotSessionReportTrigger',
	displayName: 'AIRudder Chatbot Session Report Trigger',
	vendorName: { en: 'Report after session ends', zh: '会话结束后上报' },
	description: 'Starts the workflow with the report AIRudder sends after a WhatsApp chatbot session ends',
	webhookPath: 'chatbot-session-report',
	outputName: 'Reports',
	itemNoun: 'report',
	notes: 'Each item is one session report, with the transcript as one line per message and the slots as columns.',
	schema,
	inferred: true,
	coreFields: ['callee'],
	timeFields: { timestamp: 'epoch' },
	summaries: { messages: transcript },
	filters: [{ name: 'intentions', displayName: 'Result Labels', description: 'Keep only reports with these result (intent) labels', field: 'intention' }],
	sample: {
		...sampleChat,
		session_start_time: '2025-04-15T06:41:00Z',
		session_end_time: '2025-04-15T06:41:09Z',
		session_end_reason: 'robot',
		intention: 'PTP',
		talk_round: 2,
		ner_slots: { PaymentDate: '2025-04-16' },
		event_label: {},
		variables: { name: 'Tom' },
		messages: sampleMessages,
	},
};
