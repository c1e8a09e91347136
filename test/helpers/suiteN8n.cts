import { rmSync } from 'fs';
import { join } from 'path';

import { buildCallbackRequest, DEMO_SECRETS, postCallback, withToken } from '../../scripts/lib/callbackRequest';
import { launchLocalN8n, packPackage } from '../../scripts/lib/localN8n';
import { findFreePortPair } from '../../scripts/lib/ports';
import { cacheRoot } from '../../scripts/lib/runtime';

/** The unit tests' account time zone, so the node alone gives the same items as n8n does. */
export const ACCOUNT_TIME_ZONE = 'Asia/Shanghai';

/**
 * Older n8n refuses to send any file from a folder whose name starts with a dot, and community
 * packages live in ~/.n8n: its editor lists a node's fields only after a first run.
 */
export const SERVES_COMMUNITY_SCHEMAS_SINCE = '1.105.4';

export type SuiteN8n = Awaited<ReturnType<typeof launchLocalN8n>>;

/**
 * A fresh n8n of `version` for one end-to-end suite, in its own user folder, with the package
 * installed from the packed tarball, the demo workflows, and the suite's own credentials and
 * workflows published beside them.
 */
export async function launchSuiteN8n(
	suite: string,
	version: string,
	extra: { credentials: object[]; workflows: Array<{ id: string }>; drafts?: Array<{ id: string }> },
): Promise<SuiteN8n> {
	const userFolder = join(cacheRoot(), 'e2e', `${suite}-${version}`);
	rmSync(userFolder, { recursive: true, force: true });
	return await launchLocalN8n({
		version,
		userFolder,
		port: await findFreePortPair(),
		tarball: await packPackage(),
		env: { GENERIC_TIMEZONE: ACCOUNT_TIME_ZONE },
		extra,
		log: () => undefined,
	});
}

/**
 * Posts a callback to a demo workflow's Production URL, with the URL token and signature of the
 * demo credential, as AIRudder sends it (AES-encrypted with the demo key when `encrypt` is set),
 * and waits for the execution it starts.
 */
export async function sendToDemoWorkflow(local: SuiteN8n, demo: SuiteN8n['workflows'][number], payloadText: string, { encrypt = false } = {}) {
	const { workflow, url } = demo;
	const before = await local.instance.latestExecutionId(workflow.id);
	const request = buildCallbackRequest(payloadText, {
		encrypt,
		aesKey: DEMO_SECRETS.aesSecretKey,
		scheme: DEMO_SECRETS.signatureScheme,
		signingKey: DEMO_SECRETS.signingSecret,
	});
	const response = await postCallback(withToken(url, DEMO_SECRETS.urlToken), request);
	if (response.status !== 200) throw new Error(`${workflow.name} answered ${response.status} to a signed callback, not 200: ${response.body}`);
	return await local.instance.waitForExecutionAfter(workflow.id, before);
}
