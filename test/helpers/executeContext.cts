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

import { AirudderApi } from '../../credentials/AirudderApi.credentials';
import { AirudderAction } from '../../nodes/AirudderAction/AirudderAction.node';

/**
 * Runs the AIRudder node as n8n would, against a real HTTP server (the local AIRudder API), with
 * the parts of n8n's execute context the node uses: parameters per item, input items with their
 * binary data, credentials by type, Continue On Fail, and whether n8n runs it as an AI agent's
 * tool (its type then ends in "Tool").
 *
 * `helpers.httpRequest` sends real requests with Node's fetch and answers as n8n's does for the
 * options the node uses (`returnFullResponse`, `ignoreHttpStatusErrors`, text bodies): a non-2xx
 * answer throws an error with `response.status`.
 * `helpers.httpRequestWithAuthentication` emulates n8n-core's contract
 * (execution-engine/…/request-helpers/authentication.js with cli's credentials-helper.ts): it runs
 * the credential's `preAuthentication` when its expirable `sessionToken` is empty and stores the
 * token in the credential, adds the `authenticate` header, and after an HTTP 401 runs
 * `preAuthentication` again, stores that token and retries once. Whatever fails reaches the node
 * wrapped in a NodeApiError, as n8n wraps it.
 */

/** As axios fails on a non-2xx answer; n8n reads the status from an error of this name. */
class AxiosError extends Error {
	constructor(readonly response: { status: number }) {
		super(`Request failed with status code ${response.status}`);
	}
}

export interface Harness {
	context: IExecuteFunctions;
	/** The stored credential, as n8n keeps it between runs (sessionToken included). */
	credential: ICredentialDataDecryptedObject;
	/** How often n8n's preAuthentication ran. */
	preAuthentications: number;
}

export async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const response = await fetch(options.url, {
		method: options.method ?? 'GET',
		headers: options.headers as Record<string, string>,
		body: typeof options.body === 'string' ? options.body : options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const body = await response.text();
	if (!options.ignoreHttpStatusErrors && (response.status < 200 || response.status > 299)) {
		throw new AxiosError({ status: response.status });
	}
	const headers: Record<string, string> = {};
	response.headers.forEach((value, name) => {
		headers[name] = value;
	});
	return options.returnFullResponse ? { statusCode: response.status, headers, body } : body;
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
					if (!(error instanceof AxiosError) || error.response.status !== 401) throw new NodeApiError(NODE, error as JsonObject);
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
