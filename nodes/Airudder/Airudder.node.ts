import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { taskGet } from '../AirudderAction/taskGet.operation';
import { workflowAddContacts } from '../AirudderAction/workflowAddContacts.operation';
import { workflowCreate } from '../AirudderAction/workflowCreate.operation';
import { workflowFindCalls } from '../AirudderAction/workflowFindCalls.operation';
import { workflowGetTaskDetails } from '../AirudderAction/workflowGetTaskDetails.operation';
import { actionNodeDescription, runOperations } from './actionNode';
import type { ActionOperation } from './actionOperation';
import { callbackCredentialTests } from './credential';
import { getTimeZones } from './timeZoneOptions';

const operations: ActionOperation[] = [taskGet, workflowFindCalls, workflowGetTaskDetails, workflowCreate, workflowAddContacts];

export class Airudder implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AIRudder',
		name: 'airudder',
		group: ['transform'],
		version: 1,
		description: 'Replay stored AIRudder callbacks, look up tasks and workflow calls, and start calling',
		defaults: { name: 'AIRudder' },
		usableAsTool: true,
		...actionNodeDescription(operations),
		icon: { light: 'file:../../icons/airudder.svg', dark: 'file:../../icons/airudder.dark.svg' },
		subtitle: '={{ $parameter.resource + ": " + $parameter.operation }}',
		credentials: [
			{
				name: 'airudderCallbackApi',
				required: true,
				testedBy: 'airudderCallbackApiTest',
				displayOptions: { show: { resource: ['callback'] } },
			},
			{
				name: 'airudderApi',
				required: true,
				displayOptions: { show: { resource: ['task', 'workflow'] } },
			},
		],
	};

	methods = { credentialTest: callbackCredentialTests, loadOptions: { getTimeZones } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperations(this, operations);
	}
}
