import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { runOperations } from './actions/router';
import { actionNodeDescription } from './actions/versionDescription';
import { callbackCredentialTests } from '../Airudder/receive/callbackCredential';
import { timeZoneLoadOptions } from '../Airudder/output/outputProperties';
import { operations } from './actions/operations';

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
