import type { ActionOperation } from './operation';
import { decode } from './callback/decode.operation';
import { taskGet } from './task/get.operation';
import { workflowAddContacts } from './workflow/addContacts.operation';
import { workflowCreate } from './workflow/create.operation';
import { workflowFindCalls } from './workflow/findCalls.operation';
import { workflowGetTaskDetails } from './workflow/getTaskDetails.operation';

/** The AIRudder node's operations; the build also writes each one's output schema from this list. */
export const operations: ActionOperation[] = [
	decode,
	taskGet,
	workflowFindCalls,
	workflowGetTaskDetails,
	workflowCreate,
	workflowAddContacts,
];
