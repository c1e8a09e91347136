import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { actionNodeDescription, runOperations } from '../Airudder/actionNode';
import { callbackCredentialTests } from '../Airudder/credential';
import { timeZoneLoadOptions } from '../Airudder/outputProperties';
import { operations } from './operations';

export class AirudderAction implements INodeType {
	description: INodeTypeDescription = {
		...actionNodeDescription(operations),
		displayName: 'AIRudder',
		name: 'airudderAction',
		usableAsTool: true,
		icon: {
			light: 'file:../../icons/airudder.svg',
			dark: 'file:../../icons/airudder.dark.svg',
		},
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

	methods = {
		credentialTest: callbackCredentialTests,
		loadOptions: timeZoneLoadOptions,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperations(this, operations);
	}
}
