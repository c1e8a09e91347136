import type { CallbackDefinition } from '../Airudder/definition';
import { chatFields, message, sampleChat, sampleMessages, transcript } from '../Airudder/chat';
import { count, listOf, text, z } from '../Airudder/schemaKit';

const schema = z.looseObject({
	...chatFields,
	session_start_time: text('Session start, ISO-8601 UTC'),
	session_end_time: text('Session end, ISO-8601 UTC'),
	session_end_reason: text('robot | agent | error | expire | user'),
	intention: text('Session result label'),
	talk_round: count('Conversation rounds'),
	messages: listOf(message, 'The conversation, oldest first'),
});

export const definition: CallbackDefinition = {
	nodeName: 'airudderChatbotSessionEndedTrigger',
	displayName: 'AIRudder Chatbot Session Ended Trigger',
	vendorName: { en: 'Callback for session end event', zh: '回调会话结束事件' },
	description: 'Starts the workflow when a WhatsApp chatbot session ends',
	webhookPath: 'chatbot-session-ended',
	outputName: 'Sessions',
	itemNoun: 'session',
	notes: 'Each item is one chat session. AIRudder also calls this “Callback for ended session” (回调结束会话) in its bot pages.',
	schema,
	inferred: true,
	coreFields: ['callee'],
	timeFields: { timestamp: 'epoch' },
	summaries: { messages: transcript },
	filters: [
		{
			name: 'endReasons',
			displayName: 'Session End Reasons',
			description: 'Keep only sessions that ended this way',
			field: 'session_end_reason',
			values: ['robot', 'agent', 'error', 'expire', 'user'],
		},
		{ name: 'intentions', displayName: 'Result Labels', description: 'Keep only sessions with these result (intent) labels', field: 'intention' },
	],
	sample: {
		...sampleChat,
		session_start_time: '2025-04-15T06:41:00Z',
		session_end_time: '2025-04-15T06:41:09Z',
		session_end_reason: 'user',
		intention: 'PTP',
		talk_round: 2,
		messages: sampleMessages,
	},
};
