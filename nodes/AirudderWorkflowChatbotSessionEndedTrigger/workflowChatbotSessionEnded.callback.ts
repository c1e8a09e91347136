import type { IDataObject } from 'n8n-workflow';

import type { CallbackDefinition } from '../Airudder/definition';
import { isPlainObject, linePerEntry } from '../Airudder/items';
import { count, keyValues, listOf, requiredText, text, z } from '../Airudder/schemaKit';
import { epochToIso } from '../Airudder/time';

const media = z.looseObject({ origin_url: text('Link to the file'), name: text('File name') });

const buttonReply = z.looseObject({
	type: text('reply'),
	reply: z.looseObject({ id: text('Button id'), title: text('Button label') }).nullish(),
});

const listRow = z.looseObject({ id: text('Row id'), title: text('Row title'), description: text('Row description') });

/**
 * Message content is a union keyed by `content.type`. Known kinds are typed; any other kind
 * AIRudder adds (video, audio, sticker…) still passes as a generic object with its type.
 */
const content = z.union([
	z.looseObject({ type: z.literal('text'), text: text('Message text') }),
	z.looseObject({ type: z.literal('button'), text: text('Label of the button the user tapped') }),
	z.looseObject({ type: z.enum(['image', 'file', 'video', 'audio']), media: media.nullish() }),
	z.looseObject({
		type: z.literal('location'),
		location: z
			.looseObject({
				latitude: count('Latitude'),
				longitude: count('Longitude'),
				address: text('Address'),
				name: text('Place name'),
			})
			.nullish(),
	}),
	z.looseObject({
		type: z.literal('contacts'),
		contacts: listOf(z.looseObject({ name: text('Contact name'), phone_number: text('Contact number') }), 'Shared contacts'),
	}),
	z.looseObject({
		type: z.literal('system'),
		system: z
			.looseObject({
				type: text('conversation.start, conversation.take_over, conversation.close, …'),
				from_seat_id: text('Agent seat the conversation leaves'),
				to_seat_id: text('Agent seat the conversation goes to'),
			})
			.nullish(),
	}),
	z.looseObject({
		type: z.literal('template'),
		template: z
			.looseObject({
				type: text('Channel of the template, e.g. WhatsApp'),
				content: z
					.looseObject({
						header: z.looseObject({ type: text('Header kind'), media: media.nullish() }).nullish(),
						body: text('Template body'),
						footer: text('Template footer'),
						button: listOf(z.looseObject({ type: text('QUICK_REPLY, OPT_OUT, …'), text: text('Label') }), 'Buttons'),
					})
					.nullish(),
				info: z.looseObject({ id: count('Template id'), name: text('Template name'), language: text('Language') }).nullish(),
			})
			.nullish(),
	}),
	z.looseObject({
		type: z.literal('interactive'),
		text: text('What the user picked, when the user answers an interactive message'),
		interactive: z
			.looseObject({
				type: text('button or list'),
				body: z.looseObject({ text: text('Message text') }).nullish(),
				footer: z.looseObject({ text: text('Footer text') }).nullish(),
				action: z
					.looseObject({
						button: text('Label of the list button'),
						buttons: listOf(buttonReply, 'Reply buttons'),
						sections: listOf(
							z.looseObject({ title: text('Section title'), rows: listOf(listRow, 'Rows') }),
							'List sections',
						),
					})
					.nullish(),
			})
			.nullish(),
	}),
	z.looseObject({ type: z.string().describe('Any other message kind') }),
]);

const quotedMessage = z.looseObject({
	msg_id: text('Id of the message replied to'),
	sender_type: text('Who sent the message replied to'),
	timestamp: count('Unix seconds'),
	content: content.nullish(),
});

const message = z.looseObject({
	msg_id: text('Unique message id'),
	sender_type: text('system | user | robot | agent | chatbot'),
	timestamp: count('When it was sent, Unix seconds'),
	status: text('sent | delivery | read'),
	content: content.nullish(),
	reply: quotedMessage.nullish(),
});

const schema = z.looseObject({
	workflow_id: requiredText('Workflow id'),
	workflow_name: text('Workflow name'),
	nodetask_id: text('Workflow node task id'),
	nodetask_name: text('Workflow node task name'),
	waba_task_id: text('WhatsApp Business task id'),
	wfdetail_uuid: text('Workflow contact detail id'),
	timestamp: count('When the callback was sent, Unix seconds'),
	channel: text('Channel, e.g. WhatsApp'),
	channel_id: text('Your channel number'),
	callee: text('The contact’s number'),
	call_id: requiredText('Unique id of the session'),
	robot_id: text('Chatbot id'),
	status: text('Session status, e.g. closed'),
	session_start_time: text('Session start, ISO-8601 UTC'),
	session_end_time: text('Session end, ISO-8601 UTC'),
	session_end_reason: text('robot | agent | error | expire | user'),
	intention: text('Session result label'),
	talk_round: count('Conversation rounds'),
	ner_slots: keyValues('Slots recognised in the session'),
	event_label: keyValues('Event labels hit in the session'),
	variables: keyValues('Custom variables of the contact'),
	messages: listOf(message, 'The conversation, oldest first'),
});

function describeContent(value: unknown): string {
	if (!isPlainObject(value)) return '';
	const nested = (key: string): IDataObject => (isPlainObject(value[key]) ? (value[key] as IDataObject) : {});
	switch (value.type) {
		case 'text':
		case 'button':
			return String(value.text ?? '');
		case 'image':
		case 'file':
		case 'video':
		case 'audio': {
			const file = nested('media');
			return `[${String(value.type)}] ${[file.name, file.origin_url].filter(Boolean).join(' ')}`.trim();
		}
		case 'location': {
			const place = nested('location');
			const where = [place.name, place.address].filter(Boolean).join(', ');
			return `[location] ${where} (${String(place.latitude ?? '')}, ${String(place.longitude ?? '')})`;
		}
		case 'contacts': {
			const contacts = Array.isArray(value.contacts) ? (value.contacts as IDataObject[]) : [];
			return `[contacts] ${contacts.map((contact) => `${String(contact.name ?? '')} ${String(contact.phone_number ?? '')}`.trim()).join(', ')}`;
		}
		case 'system':
			return `[${String(nested('system').type ?? 'system')}]`;
		case 'template': {
			const template = nested('template');
			const body = isPlainObject(template.content) ? template.content.body : '';
			const name = isPlainObject(template.info) ? template.info.name : '';
			return `[template ${String(name ?? '')}] ${String(body ?? '')}`.trim();
		}
		case 'interactive': {
			if (typeof value.text === 'string') return value.text;
			const body = nested('interactive').body;
			return isPlainObject(body) ? String(body.text ?? '') : '[interactive]';
		}
		default:
			return `[${String(value.type ?? 'message')}]`;
	}
}

export const definition: CallbackDefinition = {
	nodeName: 'airudderWorkflowChatbotSessionEndedTrigger',
	displayName: 'AIRudder Workflow Chatbot Session Ended Trigger',
	vendorName: { en: 'Chatbot Session End Notification in Workflow', zh: 'Workflow内Chatbot会话结束通知' },
	description:
		'Starts the workflow when a WhatsApp chatbot session started by a workflow ends (outbound only)',
	webhookPath: 'workflow-chatbot-session-ended',
	outputName: 'Sessions',
	itemNoun: 'session',
	notes:
		'Each item is one chat session. With Simplify on, messages becomes a readable transcript, one line per message. AIRudder signs this callback in the X-AIRudder-Sign header; its algorithm is not published, so pick the scheme AIRudder confirms in the credential.',
	schema,
	timeFields: { timestamp: 'epoch' },
	summaries: {
		messages: linePerEntry((entry) => {
			const sentAt = epochToIso(entry.timestamp) ?? '';
			const quoted = isPlainObject(entry.reply) ? ` (reply to: ${describeContent(entry.reply.content)})` : '';
			return `${sentAt} ${String(entry.sender_type ?? '')}: ${describeContent(entry.content)}${quoted}`.trim();
		}),
	},
	sample: {
		workflow_id: '4cb9db206ac04a315e4e613d2',
		workflow_name: 'Payment reminder WhatsApp',
		nodetask_id: '8fb437c7c43b35b09b5a3',
		nodetask_name: 'WABA Template1_232fe6',
		waba_task_id: '602ff2fc65eb89b4ee9736e',
		wfdetail_uuid: '4a786086d059dfb8abb1de7',
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
};
