import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { AirudderBody } from '../../transport/apiAnswer';
import { callbacksIn, lookupKeyColumnsProperties, callItemsOf, lookupOptionsProperty, readLookupSettings, lookupSimplifyProperty } from '../../helpers/callItems';
import { callAirudder } from '../../transport/apiClient';
import { instantOf, timeWindows } from '../../helpers/apiTime';
import type { ActionOperation } from '../operation';
import { toLocalTime } from '../../../Airudder/time';
import { isPlainObject } from '../../../Airudder/values';
import { callbackDefinitionNamed } from '../../../catalogue';

const definition = callbackDefinitionNamed.workflowCallCompleted;

const PATH = '/service/cloud/workflow/detailinstances';
const HOUR_MS = 3_600_000;
const DEFAULT_WINDOW_HOURS = 24;
const DEFAULT_PAGE_SIZE = 100;
/** A bound on pages per window, so an answer that always claims more ends the run instead of looping. */
const MAX_PAGES_PER_WINDOW = 1000;
/** Whether the answer says there are calls beyond those read so far, as a paged answer's total does. */
function hasMore(data: unknown, readSoFar: number, lastPage: number): boolean {
	if (!isPlainObject(data) || lastPage === 0) return false;
	const total = Number(data.total ?? data.total_count ?? data.count);
	return Number.isFinite(total) && readSoFar < total;
}

function timeParameter(context: IExecuteFunctions, itemIndex: number, name: string, label: string, timeZone: string): number {
	const instant = instantOf(context.getNodeParameter(name, itemIndex), timeZone);
	if (instant === undefined) throw new NodeOperationError(context.getNode(), `${label} is not a date and time. Pick one, or give an ISO-8601 time.`, { itemIndex });
	return instant;
}

/**
 * `POST /service/cloud/workflow/detailinstances` with `case_id?`, `callee?`, `start_time`,
 * `end_time` (published). Inferred, as AIRudder publishes neither its answer nor its limits: times
 * as "YYYY-MM-DD HH:mm:ss" on the account's wall clock; a longest window per request (split into
 * windows of Window Size); pages asked for with `page` and `page_size` and followed while the
 * answer's `total` says more calls exist.
 */
export const workflowFindCalls: ActionOperation = {
	resource: 'workflow',
	value: 'findCalls',
	name: 'Find Calls',
	action: 'Find workflow calls by case ID or callee',
	description: 'Find the calls of workflows in a time range, by case ID and/or callee, one item per call as the Workflow Call Completed trigger gives it',
	toolDescription:
		'Find the AIRudder workflow calls made between Start Time and End Time (ISO 8601, e.g. 2024-03-11T00:00:00), optionally only those of one Case ID or one Callee phone number, and return one item per call with callee_number, CaseID, result, result_label, intention_description (e.g. "Promise to pay"), call_start_time_iso and duration.',
	outputDescription: 'One item per call found, as the Workflow Call Completed trigger gives it; with Simplify off, each of AIRudder\'s answers as sent (one per time window and page).',
	givesItemsOf: definition,
	credential: 'airudderApi',
	placesCalls: false,
	readsInputItem: false,
	properties: [
		{
			displayName: 'Start Time',
			name: 'startTime',
			type: 'dateTime',
			required: true,
			default: '',
			description: 'Calls from this time on. A time without a zone is read in the AIRudder account time zone.',
		},
		{
			displayName: 'End Time',
			name: 'endTime',
			type: 'dateTime',
			required: true,
			default: '',
			description: 'Calls before this time. A time without a zone is read in the AIRudder account time zone.',
		},
		{
			displayName: 'Case ID',
			name: 'caseId',
			type: 'string',
			default: '',
			description: 'Only the calls of this case (CaseID); leave empty for every case',
		},
		{
			displayName: 'Callee',
			name: 'callee',
			type: 'string',
			default: '',
			description: 'Only the calls to this phone number, as AIRudder writes it; leave empty for every callee',
		},
		lookupSimplifyProperty(definition), ...lookupKeyColumnsProperties(definition),
		lookupOptionsProperty([
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_PAGE_SIZE,
				description: 'How many calls to ask AIRudder for per request, when its answer comes in pages (AIRudder does not publish its paging)',
			},
			{
				displayName: 'Window Size (Hours)',
				name: 'windowHours',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_WINDOW_HOURS,
				description: 'The longest time range asked for in one request; a longer range is split. AIRudder does not publish its limit: lower this if it refuses a range as too long.',
			},
		]),
	],
	async run(context, itemIndex) {
		const settings = readLookupSettings(context, itemIndex, definition);
		const zone = settings.accountTimeZone;
		const start = timeParameter(context, itemIndex, 'startTime', 'Start Time', zone);
		const end = timeParameter(context, itemIndex, 'endTime', 'End Time', zone);
		if (end <= start) throw new NodeOperationError(context.getNode(), 'End Time is not after Start Time. Swap them or widen the range.', { itemIndex });
		const filters: IDataObject = {};
		for (const [field, parameter] of [['case_id', 'caseId'], ['callee', 'callee']]) {
			const value = (context.getNodeParameter(parameter, itemIndex, '') as string).trim();
			if (value !== '') filters[field] = value;
		}
		const windowMs = Number(settings.options.windowHours ?? DEFAULT_WINDOW_HOURS) * HOUR_MS;
		const pageSize = Number(settings.options.pageSize ?? DEFAULT_PAGE_SIZE);
		const answers: Array<{ body: AirudderBody; payloads: unknown[] }> = [];
		for (const [from, to] of timeWindows(start, end, windowMs)) {
			const window = { ...filters, start_time: toLocalTime(from, zone), end_time: toLocalTime(to, zone) };
			let readSoFar = 0;
			for (let page = 1; ; page++) {
				if (page > MAX_PAGES_PER_WINDOW) {
					throw new NodeOperationError(context.getNode(), `AIRudder kept announcing more calls after ${MAX_PAGES_PER_WINDOW} pages. Lower Window Size (Hours) or raise Page Size.`, { itemIndex });
				}
				const body = await callAirudder(context, itemIndex, { method: 'POST', path: PATH, body: { ...window, page, page_size: pageSize } });
				const payloads = callbacksIn(definition, body.data);
				answers.push({ body, payloads });
				readSoFar += payloads.length;
				if (!hasMore(body.data, readSoFar, payloads.length)) break;
			}
		}
		return { items: callItemsOf(context, definition, settings, answers) };
	},
};
