import { defineCallback } from '../Airudder/vocabulary/definition';
import { chatFields, message, sessionFields, sessionFilters, inferredChatCallback } from '../Airudder/vocabulary/chat';
import { sampleChat, sampleMessages, sampleSession } from '../Airudder/vocabulary/samples';
import { transcript } from '../Airudder/vocabulary/chatText';
import { listOf, z } from '../Airudder/vocabulary/schemaKit';

const schema = z.looseObject({
	...chatFields,
	...sessionFields,
	messages: listOf(message, 'The conversation, oldest first'),
});

export const definition = defineCallback({
	nodeName: 'airudderChatbotSessionEndedTrigger',
	displayName: 'AIRudder Chatbot Session Ended Trigger',
	vendorName: { en: 'Callback for session end event', zh: '回调会话结束事件' },
	description: 'Starts the workflow when a WhatsApp chatbot session ends',
	webhookPath: 'chatbot-session-ended',
	outputName: 'Sessions',
	itemNoun: 'session',
	notes: 'Each item is one chat session. AIRudder also calls this “Callback for ended session” in its bot pages.',
	schema,
	...inferredChatCallback,
	summaries: { messages: transcript },
	filters: sessionFilters,
	sample: {
		...sampleChat,
		...sampleSession,
		messages: sampleMessages,
	},
});
