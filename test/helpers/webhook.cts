import { returnJsonArray } from 'n8n-core';
import { getRequestHelperFunctions } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers';
import type {
	ICredentialDataDecryptedObject,
	IBinaryData,
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { encryptAirudder, sha256Hex } from '../../nodes/Airudder/crypto';

export const AES_KEY = 'airudderredduria';

/** The URL token of the default credential, which every request sends unless it says otherwise. */
export const URL_TOKEN = 'test-url-token';

/**
 * A credential that checks the URL token only: the least a Production URL accepts (one that checks
 * nothing refuses every callback).
 */
export const DEFAULT_SECRETS: ICredentialDataDecryptedObject = {
	signatureScheme: 'none',
	signingSecret: '',
	signatureHeader: 'X-AIRudder-Sign',
	signedContent: 'raw',
	aesSecretKey: AES_KEY,
	urlToken: URL_TOKEN,
	replayWindowSeconds: 0,
};

export interface CallbackRequest {
	/**
	 * The bytes sent. As in n8n, they are on the request only after the node calls
	 * `readRawBody()`; `null` simulates an n8n that offers no raw body at all.
	 */
	body: Buffer | string | null;
	/** Makes `readRawBody()` fail as n8n's reader does, e.g. `entity.too.large`. */
	readError?: Error & { type?: string };
	parsedBody?: unknown;
	headers?: Record<string, string>;
	query?: Record<string, string>;
	ip?: string;
	secrets?: ICredentialDataDecryptedObject;
	parameters?: IDataObject;
	timezone?: string;
	/** The node's workflow static data, which n8n keeps between deliveries. */
	staticData?: IDataObject;
	/** How n8n runs the webhook: 'webhook' for the Production URL, 'manual' while the editor listens. */
	mode?: 'webhook' | 'manual';
}

export interface WebhookRun {
	result: IWebhookResponseData;
	/** HTTP status the node wrote itself, if it answered on its own (a rejection). */
	status?: number;
	responseBody?: unknown;
	main: IDataObject[];
	/** The main output with binary data, such as downloaded recordings. */
	mainItems: INodeExecutionData[];
	invalid: IDataObject[];
	/** When the node wrote its own answer, to compare with work it did afterwards. */
	answeredAt?: number;
}

/**
 * n8n's own HTTP request helper, so downloads go through the same client as in n8n. Binary data
 * is kept as n8n's default (in-memory) mode does: base64 in the item.
 */
const requestHelpers = getRequestHelperFunctions({} as never, { name: 'AIRudder Trigger' } as never, {} as never);
async function prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData> {
	return { data: data.toString('base64'), fileName, mimeType: mimeType ?? 'application/octet-stream', fileSize: `${data.length} B` };
}

function jsonOf(output: INodeExecutionData[][] | undefined, index: number): IDataObject[] {
	return (output?.[index] ?? []).map((item) => item.json);
}

/** Calls the node's webhook() the way n8n does, with a request AIRudder could have sent. */
export async function deliver(node: INodeType, request: CallbackRequest): Promise<WebhookRun> {
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'user-agent': 'Airudder',
		...Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
	};
	const parameters: IDataObject = { allowedIps: '', outputMode: 'perItem', simplify: true, additionalOptions: {}, ...request.parameters };
	let status: number | undefined;
	let responseBody: unknown;
	let answeredAt: number | undefined;
	const response = {
		status(code: number) {
			status = code;
			return response;
		},
		json(body: unknown) {
			responseBody = body;
			answeredAt = Date.now();
			return response;
		},
	};
	const nodeRequest: { rawBody?: Buffer; readRawBody?: () => Promise<void>; ip: string; headers: Record<string, string> } = {
		ip: request.ip ?? '127.0.0.1',
		headers,
	};
	if (request.body !== null) {
		const bytes = Buffer.from(request.body);
		nodeRequest.readRawBody = async () => {
			if (request.readError) throw request.readError;
			nodeRequest.rawBody = bytes;
		};
	}
	const context = {
		getRequestObject: () => nodeRequest,
		getResponseObject: () => response,
		getCredentials: async () => ({ ...DEFAULT_SECRETS, ...request.secrets }),
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getBodyData: () => (request.parsedBody ?? {}) as IDataObject,
		getHeaderData: () => headers,
		getQueryData: () => ({ token: URL_TOKEN, ...request.query }),
		getTimezone: () => request.timezone ?? 'Asia/Shanghai',
		getWorkflowStaticData: () => request.staticData ?? {},
		getMode: () => request.mode ?? 'webhook',
		getNode: () => ({ name: 'AIRudder Trigger', type: 'test', typeVersion: 1, parameters: {}, id: '1', position: [0, 0] }),
		helpers: { returnJsonArray, httpRequest: requestHelpers.httpRequest, prepareBinaryData },
	} as unknown as IWebhookFunctions;
	const result = await node.webhook!.call(context);
	return {
		result,
		status,
		responseBody,
		main: jsonOf(result.workflowData, 0),
		mainItems: result.workflowData?.[0] ?? [],
		invalid: jsonOf(result.workflowData, 1),
		answeredAt,
	};
}

/** Activation runs webhookMethods.default.create, which checks the settings. */
export async function activate(node: INodeType, request: Pick<CallbackRequest, 'secrets' | 'parameters' | 'timezone'>) {
	const parameters: IDataObject = { allowedIps: '', additionalOptions: {}, ...request.parameters };
	const context = {
		getCredentials: async () => ({ ...DEFAULT_SECRETS, ...request.secrets }),
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getTimezone: () => request.timezone ?? 'Asia/Shanghai',
		getNode: () => ({ name: 'AIRudder Trigger', type: 'test', typeVersion: 1, parameters: {}, id: '1', position: [0, 0] }),
	} as unknown as IHookFunctions;
	return await node.webhookMethods!.default!.create!.call(context);
}

/** The same payload as AIRudder sends it encrypted: base64 AES body, Is-Encrypted and Signed headers. */
export function encrypted(payload: string, key = AES_KEY) {
	return {
		body: Buffer.from(encryptAirudder(payload, key)),
		headers: { 'Is-Encrypted': '1', Signed: sha256Hex(payload) },
	};
}
