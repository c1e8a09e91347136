import { defineCallback } from '../Airudder/vocabulary/definition';
import { chatFields, deliveryFields, deliveryFilters, inferredChatCallback } from '../Airudder/vocabulary/chat';
import { sampleChat } from '../Airudder/vocabulary/samples';
import { text, z } from '../Airudder/vocabulary/schemaKit';

const schema = z.looseObject({
	...chatFields,
	sender_type: text('Who sent it, usually agent'),
	...deliveryFields,
});

export const definition = defineCallback({
	nodeName: 'airudderChatbotMessageStatusTrigger',
	displayName: 'AIRudder Chatbot Message Status Changed Trigger',
	vendorName: { en: 'Callback status change after the message is sent', zh: '回调坐席消息发送之后的状态变更' },
	description: 'Starts the workflow when a WhatsApp message an agent sent is delivered, read or fails',
	webhookPath: 'chatbot-message-status-changed',
	outputName: 'Status Changes',
	itemNoun: 'status change',
	notes: 'Each item is one status change of one message.',
	schema,
	...inferredChatCallback,
	deliveryKey: ['msg_id', 'status'],
	coreFields: ['callee', 'status'],
	filters: deliveryFilters,
	sample: {
		...sampleChat,
		msg_id: '9fd6d06730894e9fb476a1e-0',
		sender_type: 'agent',
		status: 'delivery',
		error_code: '',
		error_message: '',
	},
});
