import type { CallbackDefinition } from '../Airudder/definition';
import { chatFields, messageStatuses, sampleChat } from '../Airudder/chat';
import { text, z } from '../Airudder/schemaKit';

const schema = z.looseObject({
	...chatFields,
	msg_id: text('Id of the message'),
	template_id: text('Template id'),
	template_name: text('Template name'),
	status: text('sent | delivery | read | failed'),
	error_code: text('WhatsApp error code, when sending failed'),
	error_message: text('Why sending failed'),
});

export const definition: CallbackDefinition = {
	nodeName: 'airudderChatbotTemplateSendResultTrigger',
	displayName: 'AIRudder Chatbot Template Message Send Result Trigger',
	vendorName: { en: 'Callback template message sending result', zh: '回调模版消息发送结果' },
	description: 'Starts the workflow when AIRudder reports whether a WhatsApp template message was sent',
	webhookPath: 'chatbot-template-send-result',
	outputName: 'Results',
	itemNoun: 'result',
	notes: 'Each item is the send result of one template message.',
	schema,
	inferred: true,
	coreFields: ['callee', 'status'],
	timeFields: { timestamp: 'epoch' },
	filters: [{ name: 'statuses', displayName: 'Statuses', description: 'Keep only these send results', field: 'status', values: messageStatuses }],
	sample: {
		...sampleChat,
		msg_id: '05b1de120364432e9a',
		template_id: '35',
		template_name: 'payment_reminder',
		status: 'sent',
		error_code: '',
		error_message: '',
	},
};
