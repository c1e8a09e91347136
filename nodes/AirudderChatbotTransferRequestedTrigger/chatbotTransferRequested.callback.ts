import { defineCallback } from '../Airudder/vocabulary/definition';
import { resultLabelsFilter } from '../Airudder/vocabulary/filterDeclarations';
import { chatFields, message, inferredChatCallback } from '../Airudder/vocabulary/chat';
import { sampleChat, sampleMessages } from '../Airudder/vocabulary/samples';
import { transcript } from '../Airudder/vocabulary/chatText';
import { listOf, text, z } from '../Airudder/vocabulary/schemaKit';

const schema = z.looseObject({
	...chatFields,
	transfer_reason: text('Why the bot asks for an agent'),
	intention: text('Result label so far'),
	messages: listOf(message, 'The conversation so far, oldest first'),
});

export const definition = defineCallback({
	nodeName: 'airudderChatbotTransferRequestedTrigger',
	displayName: 'AIRudder Chatbot Transfer to Agent Requested Trigger',
	vendorName: { en: 'Callback transfer to agent request', zh: '回调转人工申请' },
	description: 'Starts the workflow when a WhatsApp chatbot session asks to be handed to a human agent',
	webhookPath: 'chatbot-transfer-to-agent-requested',
	outputName: 'Requests',
	itemNoun: 'request',
	notes: 'Each item is one transfer request, with the conversation so far as one line per message.',
	schema,
	...inferredChatCallback,
	summaries: { messages: transcript },
	filters: [resultLabelsFilter('intention', 'request')],
	sample: {
		...sampleChat,
		transfer_reason: 'User asked for an agent',
		intention: 'Transfer',
		messages: sampleMessages,
	},
});
