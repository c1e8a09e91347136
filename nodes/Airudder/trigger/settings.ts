import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { CallbackDefinition } from '../vocabulary/definition';
import { matchesFiltersOf, type ItemPredicate } from '../output/filters';
import { allowsEveryAddress, parseIpAllowList } from '../receive/ipAllowList';
import { chosenTimeZone, itemOptionsFor } from '../output/itemOptions';
import type { OutputMode } from '../output/items';
import {
	DEFAULT_MAX_BODY_MB,
	DEFAULT_RECORDING_MAX_MB,
	DEFAULT_RECORDING_TIMEOUT_SECONDS,
	DEFAULT_REMEMBER_HOURS,
} from '../limits';
import type { RecordingSettings } from '../output/recordings';
import type { SenderRule } from '../receive/stages';
import { isValidTimeZone } from '../time';

/** Everything the node's parameters decide about one request, read once and typed. */
export interface TriggerSettings {
	/** The Allowed IP Addresses, or why the list does not parse. */
	sender: SenderRule;
	mode: OutputMode;
	simplify: boolean;
	accountTimeZone: string;
	matchesFilters: ItemPredicate;
	maxBodyMb: number;
	/** Undefined when Ignore Repeated Deliveries is off. */
	rememberDeliveriesForHours: number | undefined;
	/** Undefined when Download Recordings is off or cannot apply. */
	recordings: RecordingSettings | undefined;
}

type ParameterContext = IWebhookFunctions | IHookFunctions;

function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(containsExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(containsExpression);
	return false;
}

/**
 * A parameter's value. Reading it with `rawExpressions` costs n8n nothing, while a full read goes
 * through n8n's expression engine, which for the default engine is an isolate round trip per
 * call; so only values that hold an expression are evaluated. n8n 1.100 does not know the option
 * and returns the evaluated value, which then holds no expression and is used as it is.
 */
function parameter<T>(context: ParameterContext, name: string, fallback: T): T {
	const raw = context.getNodeParameter(name, fallback, { rawExpressions: true });
	return (containsExpression(raw) ? context.getNodeParameter(name, fallback) : raw) as T;
}

const senderRules = new Map<string, SenderRule>();

/** The Allowed IP Addresses as the pipeline checks them, parsed once per list text, not per request. */
function senderRuleFor(text: string): SenderRule {
	let rule = senderRules.get(text);
	if (!rule) {
		try {
			rule = { allowList: parseIpAllowList(text), allowsAnyAddress: allowsEveryAddress(text) };
		} catch (error) {
			rule = { problem: (error as Error).message };
		}
		senderRules.set(text, rule);
	}
	return rule;
}

const positiveNumber = (value: unknown, fallback: number) => (typeof value === 'number' && value > 0 ? value : fallback);

function recordingSettings(definition: CallbackDefinition, options: IDataObject, mode: OutputMode): RecordingSettings | undefined {
	if (!definition.recordings || options.downloadRecordings !== true || mode !== 'perItem') return undefined;
	const chosenField = typeof options.recordingLinkField === 'string' ? options.recordingLinkField.trim() : '';
	return {
		linkField: chosenField || (definition.recordings.linkField ?? ''),
		maxBytes: positiveNumber(options.recordingMaxSizeMb, DEFAULT_RECORDING_MAX_MB) * 1024 * 1024,
		timeoutMs: positiveNumber(options.recordingTimeoutSeconds, DEFAULT_RECORDING_TIMEOUT_SECONDS) * 1000,
	};
}

export function readTriggerSettings(context: ParameterContext, definition: CallbackDefinition): TriggerSettings {
	const options = parameter<IDataObject>(context, 'additionalOptions', {});
	const sender = senderRuleFor(parameter(context, 'allowedIps', ''));
	const itemOptions = itemOptionsFor(definition, {
		mode: parameter<OutputMode>(context, 'outputMode', 'perItem'),
		simplify: parameter(context, 'simplify', true),
		accountTimeZone: chosenTimeZone(options.accountTimeZone, context.getTimezone()),
	});
	return {
		sender,
		...itemOptions,
		matchesFilters: matchesFiltersOf(definition, parameter<IDataObject>(context, 'filters', {})),
		maxBodyMb: typeof options.maxBodySizeMb === 'number' ? options.maxBodySizeMb : DEFAULT_MAX_BODY_MB,
		rememberDeliveriesForHours:
			options.ignoreRepeatedDeliveries !== true
				? undefined
				: typeof options.rememberDeliveriesForHours === 'number'
					? options.rememberDeliveriesForHours
					: DEFAULT_REMEMBER_HOURS,
		recordings: recordingSettings(definition, options, itemOptions.mode),
	};
}

/** The node's settings that would refuse or mangle callbacks, in plain words; empty when usable. */
export function settingsProblems(settings: TriggerSettings): string[] {
	const problems: string[] = [];
	if ('problem' in settings.sender) problems.push(`Allowed IP Addresses: ${settings.sender.problem}.`);
	if (!isValidTimeZone(settings.accountTimeZone)) problems.push(`"${settings.accountTimeZone}" is not a time zone.`);
	return problems;
}
