import { defineCallback } from '../Airudder/vocabulary/definition';
import { chatFields, message, sessionFields, sessionFilters, sessionFindings, inferredChatCallback } from '../Airudder/vocabulary/chat';
import { sampleChat, sampleMessages, sampleSession } from '../Airudder/vocabulary/samples';
import { transcript } from '../Airudder/vocabulary/chatText';
import { listOf, z } from '../Airudder/vocabulary/schemaKit';

const schema = z.looseObject({
	...chatFields,
	...sessionFields,
	...sessionFindings,
	messages: listOf(message, 'The conversation, oldest first'),
});

export const definition = defineCallback({
	nodeName: 'airudderChatbotSessionReportTrigger',
	displayName: 'AIRudder Chatbot Session Report Trigger',
	vendorName: { en: 'Report after session ends', zh: '会话结束后上报' },
	description: 'Starts the workflow with the report AIRudder sends after a WhatsApp chatbot session ends',
	webhookPath: 'chatbot-session-report',
	outputName: 'Reports',
	itemNoun: 'report',
	notes: 'Each item is one session report, with the transcript as one line per message and the slots as columns.',
	schema,
	...inferredChatCallback,
	summaries: { messages: transcript },
	filters: sessionFilters,
	sample: {
		...sampleChat,
		...sampleSession,
		session_end_reason: 'robot',
		ner_slots: { PaymentDate: '2025-04-16' },
		event_label: {},
		variables: { name: 'Tom' },
		messages: sampleMessages,
	},
});
