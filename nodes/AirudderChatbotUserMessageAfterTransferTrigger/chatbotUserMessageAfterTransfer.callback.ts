import { defineCallback } from '../Airudder/vocabulary/definition';
import { chatFields, message, inferredChatCallback } from '../Airudder/vocabulary/chat';
import { sampleChat } from '../Airudder/vocabulary/samples';
import { singleMessage } from '../Airudder/vocabulary/chatText';
import { text, z } from '../Airudder/vocabulary/schemaKit';

const schema = z.looseObject({
	...chatFields,
	seat_id: text('Agent seat that has the conversation'),
	message: message.nullish().describe('The user’s message'),
});

export const definition = defineCallback({
	nodeName: 'airudderChatbotUserMessageAfterTransferTrigger',
	displayName: 'AIRudder Chatbot User Message After Transfer Trigger',
	vendorName: { en: 'Callback for messages sent by the user after transferring to agent', zh: '回调转人工后用户发送的消息' },
	description: 'Starts the workflow when a user writes while a human agent has the WhatsApp conversation',
	webhookPath: 'chatbot-user-message-after-transfer',
	outputName: 'Messages',
	itemNoun: 'message',
	notes: 'Each item is one user message; message becomes one line with its text.',
	schema,
	...inferredChatCallback,
	summaries: { message: singleMessage },
	sample: {
		...sampleChat,
		seat_id: 'seat-12',
		message: {
			msg_id: '4d2c0e9f8a7b6c5d',
			sender_type: 'user',
			timestamp: 1744699400,
			status: 'read',
			content: { type: 'text', text: 'Can I pay in two parts?' },
		},
	},
});
