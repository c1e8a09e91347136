import { defineCallback } from '../Airudder/vocabulary/definition';
import { chatFields, deliveryFields, deliveryFilters, inferredChatCallback } from '../Airudder/vocabulary/chat';
import { sampleChat } from '../Airudder/vocabulary/samples';
import { text, z } from '../Airudder/vocabulary/schemaKit';

const schema = z.looseObject({
	...chatFields,
	template_id: text('Template id'),
	template_name: text('Template name'),
	...deliveryFields,
});

export const definition = defineCallback({
	nodeName: 'airudderChatbotTemplateSendResultTrigger',
	displayName: 'AIRudder Chatbot Template Message Send Result Trigger',
	vendorName: { en: 'Callback template message sending result', zh: '回调模版消息发送结果' },
	description: 'Starts the workflow when AIRudder reports whether a WhatsApp template message was sent',
	webhookPath: 'chatbot-template-send-result',
	outputName: 'Results',
	itemNoun: 'result',
	notes: 'Each item is the send result of one template message.',
	schema,
	...inferredChatCallback,
	deliveryKey: ['msg_id', 'status'],
	coreFields: ['callee', 'status'],
	filters: deliveryFilters,
	sample: {
		...sampleChat,
		msg_id: '05b1de120364432e9a',
		template_id: '35',
		template_name: 'payment_reminder',
		status: 'sent',
		error_code: '',
		error_message: '',
	},
});
