import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

/**
 * The parts of n8n's execute context the AIRudder node uses, for running the node class alone:
 * parameters per item, the input items with their binary data, credentials by type, Continue On
 * Fail, and whether n8n runs it as an AI agent's tool (its type then ends in "Tool").
 */
export interface ExecuteRequest {
	parameters: IDataObject;
	items: INodeExecutionData[];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	continueOnFail?: boolean;
	asTool?: boolean;
	timezone?: string;
	/** n8n's own helpers, where a spec needs them (httpRequest, httpRequestWithAuthentication…). */
	helpers?: IDataObject;
}

export function executeContext(request: ExecuteRequest): IExecuteFunctions {
	const node = {
		name: 'AIRudder',
		type: `n8n-nodes-airudder.airudderAction${request.asTool ? 'Tool' : ''}`,
		typeVersion: 1,
		parameters: request.parameters,
		id: '1',
		position: [0, 0],
	};
	return {
		getNode: () => node,
		getInputData: () => request.items,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name in request.parameters ? request.parameters[name] : fallback,
		getCredentials: async (type: string) => {
			const credential = request.credentials?.[type];
			if (!credential) throw new Error(`The spec gave no ${type} credential.`);
			return credential;
		},
		continueOnFail: () => request.continueOnFail ?? false,
		getTimezone: () => request.timezone ?? 'Asia/Shanghai',
		helpers: {
			getBinaryDataBuffer: async (itemIndex: number, property: string) =>
				Buffer.from(request.items[itemIndex].binary![property].data, 'base64'),
			...request.helpers,
		},
	} as unknown as IExecuteFunctions;
}

/** Runs the node's execute on the request: one array of items per output. */
export async function execute(node: INodeType, request: ExecuteRequest): Promise<INodeExecutionData[][]> {
	return (await node.execute!.call(executeContext(request))) as INodeExecutionData[][];
}
