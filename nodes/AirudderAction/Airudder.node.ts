import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { actionNodeDescription, runOperations } from '../Airudder/actionNode';
import type { ActionOperation } from '../Airudder/actionOperation';
import { callbackCredentialTests } from '../Airudder/credential';

const operations: ActionOperation[] = [];

export class Airudder implements INodeType {
	description: INodeTypeDescription = {
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
		],
	};

	methods = { credentialTest: callbackCredentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperations(this, operations);
	}
}
