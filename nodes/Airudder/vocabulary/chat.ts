import type { CallbackDefinition, FilterDeclaration } from './definition';
import { resultLabelsFilter, statusesFilter } from './filterDeclarations';
import { count, keyValues, listOf, text, z } from './schemaKit';

/** AIRudder's WhatsApp message shape, shared by every chat callback. */

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

export const message = z.looseObject({
	msg_id: text('Unique message id'),
	sender_type: text('system | user | robot | agent | chatbot'),
	timestamp: count('When it was sent, Unix seconds'),
	status: text('sent | delivery | read'),
	content: content.nullish(),
	reply: quotedMessage.nullish(),
});

/**
 * The fields AIRudder's chat callbacks share, as the workflow chatbot callback shows them. The
 * standalone chatbot callbacks are not published; their envelope is inferred from it.
 */
export const chatFields = {
	channel: text('Channel, e.g. WhatsApp'),
	channel_id: text('Your channel number'),
	callee: text('The contact’s number'),
	call_id: text('Id of the chat session'),
	robot_id: text('Chatbot id'),
	timestamp: count('When the callback was sent, Unix seconds'),
};

/** What every standalone chatbot callback declares: inferred, naming its contact, Unix seconds. */
export const inferredChatCallback = {
	inferred: true,
	coreFields: ['callee'],
	timestampField: 'timestamp',
	timeFields: { timestamp: 'epoch' },
	deliveryKey: ['call_id', 'timestamp'],
} as const satisfies Partial<CallbackDefinition>;

/** How a chat session went; the session callbacks share these. */
export const sessionFields = {
	session_start_time: text('Session start, ISO-8601 UTC'),
	session_end_time: text('Session end, ISO-8601 UTC'),
	session_end_reason: text('robot | agent | error | expire | user'),
	intention: text('Session result label'),
	talk_round: count('Conversation rounds'),
};

/** What the chatbot learnt in a session. */
export const sessionFindings = {
	ner_slots: keyValues('Slots recognised in the session'),
	event_label: keyValues('Event labels hit in the session'),
	variables: keyValues('Custom variables of the contact'),
};

export const sessionFilters: FilterDeclaration[] = [
	{
		name: 'endReasons',
		displayName: 'End Reasons',
		description: 'Keep only sessions that ended this way',
		field: 'session_end_reason',
		values: ['robot', 'agent', 'error', 'expire', 'user'],
	},
	resultLabelsFilter('intention', 'session'),
];

/** The delivery state of one message, on the status callbacks. */
export const deliveryFields = {
	msg_id: text('Id of the message'),
	status: text('sent | delivery | read | failed'),
	error_code: text('WhatsApp error code, when the message failed'),
	error_message: text('Why the message failed'),
};

export const deliveryFilters = [statusesFilter('message', ['sent', 'delivery', 'read', 'failed'])];
