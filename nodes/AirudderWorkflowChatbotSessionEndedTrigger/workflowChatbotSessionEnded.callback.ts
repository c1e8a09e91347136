import { defineCallback } from '../Airudder/definition';
import { message, sessionFields, sessionFilters, sessionFindings, transcript } from '../Airudder/chat';
import { count, listOf, requiredText, text, z } from '../Airudder/schemaKit';
import { sampleWabaWorkflow, wabaTaskFields, workflowFields } from '../Airudder/workflowFields';

const schema = z.looseObject({
	...workflowFields,
	...wabaTaskFields,
	timestamp: count('When the callback was sent, Unix seconds'),
	channel: text('Channel, e.g. WhatsApp'),
	channel_id: text('Your channel number'),
	callee: text('The contact’s number'),
	call_id: requiredText('Unique id of the session'),
	robot_id: text('Chatbot id'),
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
		timestamp: 1744699269,
		channel: 'WhatsApp',
		channel_id: '628900009070',
		callee: '+628900089092',
		call_id: 'a3f5c12ac59ad71fe6a8ea3e',
		robot_id: '4755',
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
			{
				msg_id: '37c9704d464982',
				sender_type: 'user',
				timestamp: 1744699266,
				status: 'read',
				content: { type: 'text', text: 'I will pay tomorrow' },
			},
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
