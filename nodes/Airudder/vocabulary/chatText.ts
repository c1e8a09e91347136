import type { IDataObject } from 'n8n-workflow';

import { linePerEntry } from './text';
import { epochToIso } from '../time';
import { isPlainObject } from '../values';

/** AIRudder's WhatsApp messages (chat.ts) as text a sheet can hold. */

function contentAsText(value: unknown): string {
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

/** One message as one line: time, sender, and the message as text. */
function messageLine(entry: IDataObject): string {
	const sentAt = epochToIso(entry.timestamp) ?? '';
	const quoted = isPlainObject(entry.reply) ? ` (reply to: ${contentAsText(entry.reply.content)})` : '';
	return `${sentAt} ${String(entry.sender_type ?? '')}: ${contentAsText(entry.content)}${quoted}`.trim();
}

/** A chat transcript, one line per message. */
export const transcript = linePerEntry(messageLine);

/** A single message field as its line, for callbacks about one message. */
export const singleMessage = (value: unknown): string => (isPlainObject(value) ? messageLine(value) : '');
