import type { ActionOperation } from '../Airudder/actionOperation';
import { decode } from './callbackDecode.operation';
import { taskGet } from './taskGet.operation';
import { workflowAddContacts } from './workflowAddContacts.operation';
import { workflowCreate } from './workflowCreate.operation';
import { workflowFindCalls } from './workflowFindCalls.operation';
import { workflowGetTaskDetails } from './workflowGetTaskDetails.operation';

/** The AIRudder node's operations; the build also writes each one's output schema from this list. */
export const operations: ActionOperation[] = [
	decode,
	taskGet,
	workflowFindCalls,
	workflowGetTaskDetails,
	workflowCreate,
	workflowAddContacts,
];
