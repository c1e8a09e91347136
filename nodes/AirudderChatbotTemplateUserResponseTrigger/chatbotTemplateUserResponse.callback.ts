import { defineCallback } from '../Airudder/vocabulary/definition';
import { chatFields, message, inferredChatCallback } from '../Airudder/vocabulary/chat';
import { sampleChat } from '../Airudder/vocabulary/samples';
import { singleMessage } from '../Airudder/vocabulary/chatText';
import { text, z } from '../Airudder/vocabulary/schemaKit';

const schema = z.looseObject({
	...chatFields,
	template_id: text('Template id'),
	template_name: text('Template name'),
	message: message.nullish().describe('What the user answered'),
});

export const definition = defineCallback({
	nodeName: 'airudderChatbotTemplateUserResponseTrigger',
	displayName: 'AIRudder Chatbot Template Message User Response Trigger',
	vendorName: { en: 'Callback single template message user response', zh: '回调单个模版消息用户响应' },
	description: 'Starts the workflow when a user answers a single WhatsApp template message',
	webhookPath: 'chatbot-template-user-response',
	outputName: 'Responses',
	itemNoun: 'response',
	notes: 'Each item is one user response; message becomes one line with the user’s answer.',
	schema,
	...inferredChatCallback,
	summaries: { message: singleMessage },
	sample: {
		...sampleChat,
		template_id: '35',
		template_name: 'payment_reminder',
		message: {
			msg_id: '37c9704d464982',
			sender_type: 'user',
			timestamp: 1744699266,
			status: 'read',
			content: { type: 'button', text: 'Pay now' },
		},
	},
});
