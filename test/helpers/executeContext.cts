import {
	NodeApiError,
	type JsonObject,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';
import { dirname } from 'path';

import { AirudderApi } from '../../credentials/AirudderApi.credentials';
import { AirudderAction } from '../../nodes/AirudderAction/AirudderAction.node';

/**
 * Runs the AIRudder node as n8n would, against a real HTTP server (the local AIRudder API), with
 * the parts of n8n's execute context the node uses: parameters per item, input items with their
 * binary data, credentials by type, Continue On Fail, and whether n8n runs it as an AI agent's
 * tool (its type then ends in "Tool").
 *
 * `helpers.httpRequest` is n8n's own: the request function of the @n8n/backend-network that
 * n8n-core 2.41.1 sends every node request through (axios, with n8n's conversion of the options),
 * so a spec sees the bytes n8n puts on the wire, not what a stand-in would send. A non-2xx answer
 * throws axios's error, with `response.status` and `response.data`.
 * `helpers.httpRequestWithAuthentication` emulates n8n-core's contract
 * (execution-engine/…/request-helpers/authentication.js with cli's credentials-helper.ts): it runs
 * the credential's `preAuthentication` when its expirable `sessionToken` is empty and stores the
 * token in the credential, adds the `authenticate` header, and after an HTTP 401 runs
 * `preAuthentication` again, stores that token and retries once. Whatever fails reaches the node
 * wrapped in a NodeApiError, as n8n wraps it.
 */

/** The network package n8n-core resolves, not whichever copy a hoisted node_modules offers first. */
const { OutboundHttp } = require(require.resolve('@n8n/backend-network', { paths: [dirname(require.resolve('n8n-core'))] })) as {
	OutboundHttp: new (ssrf: undefined, config: { enabled: boolean }, logger: Console) => { requests(): { request(options: IHttpRequestOptions): Promise<unknown> } };
};
const n8nRequests = new OutboundHttp(undefined, { enabled: false }, console).requests();

/** n8n's test for an expired credential: the failed request's HTTP status. */
const statusOf = (error: unknown): unknown => (error as { response?: { status?: unknown } }).response?.status;

export interface Harness {
	context: IExecuteFunctions;
	/** The stored credential, as n8n keeps it between runs (sessionToken included). */
	credential: ICredentialDataDecryptedObject;
	/** How often n8n's preAuthentication ran. */
	preAuthentications: number;
}

export async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
	return await n8nRequests.request({ ...options });
}

export interface ExecuteRequest {
	parameters: IDataObject | ((itemIndex: number) => IDataObject);
	/** The AIRudder API credential, as n8n keeps it. */
	credential?: ICredentialDataDecryptedObject;
	/** Other credentials, by type (the AIRudder Callback API's, for Decode). */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	timeZone?: string;
	asTool?: boolean;
}

export function executeContext({
	parameters,
	credential = {},
	credentials = {},
	items = [{ json: {} }],
	continueOnFail = false,
	timeZone = 'UTC',
	asTool = false,
}: ExecuteRequest): Harness {
	const NODE: INode = {
		id: 'airudder-node',
		name: 'AIRudder',
		type: `n8n-nodes-airudder.airudderAction${asTool ? 'Tool' : ''}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const credentialType = new AirudderApi();
	const harness = { credential: { sessionToken: '', ...credential }, preAuthentications: 0 } as unknown as Harness;
	const preAuthenticate = async () => {
		harness.preAuthentications += 1;
		const { sessionToken } = await credentialType.preAuthentication.call({ helpers: { httpRequest } }, { ...harness.credential });
		harness.credential.sessionToken = sessionToken;
	};
	const authenticated = (options: IHttpRequestOptions): IHttpRequestOptions => ({
		...options,
		headers: { ...options.headers, Authorization: `Token ${String(harness.credential.sessionToken)}` },
	});
	const parametersOf = (itemIndex: number) => (typeof parameters === 'function' ? parameters(itemIndex) : parameters);
	const context = {
		getNode: () => NODE,
		getInputData: () => items,
		getTimezone: () => timeZone,
		continueOnFail: () => continueOnFail,
		getCredentials: async (type: string) => {
			if (type === 'airudderApi') return { ...harness.credential };
			const other = credentials[type];
			if (!other) throw new Error(`The spec gives no ${type} credential.`);
			return other;
		},
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown) {
			const value = parametersOf(itemIndex)[name];
			if (value === undefined && fallback === undefined) throw new Error(`The spec gives no parameter "${name}"`);
			return value === undefined ? fallback : value;
		},
		helpers: {
			httpRequest,
			getBinaryDataBuffer: async (itemIndex: number, property: string) => Buffer.from(items[itemIndex].binary![property].data, 'base64'),
			async httpRequestWithAuthentication(this: unknown, _type: string, options: IHttpRequestOptions) {
				try {
					if (harness.credential.sessionToken === '') await preAuthenticate();
					return await httpRequest(authenticated(options));
				} catch (error) {
					if (statusOf(error) !== 401) throw new NodeApiError(NODE, error as JsonObject);
					try {
						await preAuthenticate();
						return await httpRequest(authenticated(options));
					} catch (retryError) {
						throw new NodeApiError(NODE, retryError as JsonObject);
					}
				}
			},
		},
	};
	harness.context = context as unknown as IExecuteFunctions;
	return harness;
}

/** Every output of the node, as n8n gets them. */
export async function runOutputs(harness: Harness): Promise<INodeExecutionData[][]> {
	return await new AirudderAction().execute.call(harness.context);
}

/** The node's first output for these parameters. */
export async function runNode(harness: Harness): Promise<IDataObject[]> {
	const [main] = await runOutputs(harness);
	return main.map((item) => item.json);
}
