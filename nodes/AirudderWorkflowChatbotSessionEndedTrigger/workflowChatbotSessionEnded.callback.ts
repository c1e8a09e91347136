import { defineCallback } from '../Airudder/vocabulary/definition';
import { chatFields, message, sessionFields, sessionFilters, sessionFindings } from '../Airudder/vocabulary/chat';
import { transcript } from '../Airudder/vocabulary/chatText';
import { sampleChat, sampleMessages, sampleWabaWorkflow } from '../Airudder/vocabulary/samples';
import { listOf, requiredText, text, z } from '../Airudder/vocabulary/schemaKit';
import { wabaTaskFields, workflowFields } from '../Airudder/vocabulary/workflowFields';

// AIRudder sends the timestamp before the other chat fields here, and columns keep that order.
const { timestamp, ...chatEnvelope } = chatFields;
const { timestamp: sentAt, ...sampleChatEnvelope } = sampleChat;
const [, userReply] = sampleMessages;

const schema = z.looseObject({
	...workflowFields,
	...wabaTaskFields,
	timestamp,
	...chatEnvelope,
	call_id: requiredText('Unique id of the session'),
	status: text('Session status, e.g. closed'),
	...sessionFields,
	...sessionFindings,
	messages: listOf(message, 'The conversation, oldest first'),
});

export const definition = defineCallback({
	nodeName: 'airudderWorkflowChatbotSessionEndedTrigger',
	displayName: 'AIRudder Workflow Chatbot Session Ended Trigger',
	vendorName: { en: 'Chatbot Session End Notification in Workflow', zh: 'Workflow内Chatbot会话结束通知' },
	description:
		'Starts the workflow when a WhatsApp chatbot session started by a workflow ends (outbound only)',
	webhookPath: 'workflow-chatbot-session-ended',
	deliveryKey: ['call_id', 'session_end_time'],
	outputName: 'Sessions',
	itemNoun: 'session',
	notes:
		'Each item is one chat session. With Simplify on, messages becomes a readable transcript, one line per message. AIRudder signs this callback in the X-AIRudder-Sign header; its algorithm is not published, so pick the scheme AIRudder confirms in the credential.',
	schema,
	timestampField: 'timestamp',
	timeFields: { timestamp: 'epoch' },
	summaries: { messages: transcript },
	filters: sessionFilters,
	sample: {
		...sampleWabaWorkflow,
		timestamp: sentAt,
		...sampleChatEnvelope,
		status: 'closed',
		session_start_time: '2025-04-15T06:41:00Z',
		session_end_time: '2025-04-15T06:41:09Z',
		session_end_reason: 'robot',
		intention: 'E',
		talk_round: 3,
		ner_slots: { PaymentDate: '2025-05-01' },
		event_label: { EventLabel: '1' },
		variables: { name: 'Tom', amount_due: '1200' },
		messages: [
			{
				msg_id: '172016000045344',
				sender_type: 'system',
				timestamp: 1744699260,
				status: 'delivery',
				content: { type: 'system', system: { type: 'conversation.start', from_seat_id: '', to_seat_id: '' } },
			},
			{
				msg_id: '05b1de120364432e9a',
				sender_type: 'chatbot',
				timestamp: 1744699261,
				status: 'read',
				content: {
					type: 'template',
					template: {
						type: 'WhatsApp',
						content: { body: 'Hi Tom, your payment of 1200 is due on 2025-05-01.', footer: 'Reply below' },
						info: { id: 35, name: 'payment_reminder', language: 'en' },
					},
				},
			},
			userReply,
			{
				msg_id: '9fd6d06730894e9fb476a1e-0',
				sender_type: 'robot',
				timestamp: 1744699268,
				status: 'read',
				content: { type: 'text', text: 'Thank you, noted.' },
			},
		],
	},
});
