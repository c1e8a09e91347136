import { defineCallback } from '../Airudder/vocabulary/definition';
import { chatFields, message, inferredChatCallback } from '../Airudder/vocabulary/chat';
import { sampleChat, sampleMessages } from '../Airudder/vocabulary/samples';
import { transcript } from '../Airudder/vocabulary/chatText';
import { listOf, z } from '../Airudder/vocabulary/schemaKit';

const schema = z.looseObject({
	...chatFields,
	messages: listOf(message, 'The messages of the reply, oldest first'),
});

export const definition = defineCallback({
	nodeName: 'airudderChatbotBotReplyTrigger',
	displayName: 'AIRudder Chatbot Bot Reply Trigger',
	vendorName: { en: 'Callback bot reply message', zh: '回调机器人回复消息' },
	description: 'Starts the workflow when the WhatsApp chatbot replies to a user',
	webhookPath: 'chatbot-bot-reply',
	outputName: 'Replies',
	itemNoun: 'reply',
	notes: 'Each item is one bot reply; messages becomes one line per message.',
	schema,
	...inferredChatCallback,
	summaries: { messages: transcript },
	sample: {
		...sampleChat,
		messages: [sampleMessages[0]],
	},
});
