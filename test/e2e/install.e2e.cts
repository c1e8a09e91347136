/**
 * The package installed the ways n8n users install it, into a real n8n 2.41.1, from a local npm
 * registry that this file starts: Verdaccio on 127.0.0.1 (scripts/lib/localNpmRegistry.js), holding the
 * packed build of this checkout and the previous release, 0.1.0 (test/fixtures/, packed from
 * commit ca3c62b). Each way ends with a published workflow whose AIRudder trigger, as n8n
 * installed it, answers a signed callback with 200 and records the expected items.
 *
 * - n8n's installer in the browser: Settings → Community nodes → Install, the package name, the
 *   risk checkbox, Install.
 * - N8N_COMMUNITY_PACKAGES with N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV=true: n8n installs the
 *   listed version while it starts.
 * - An update by n8n's installer from 0.1.0 to this build: 0.1.0 installed through the endpoint
 *   the Install dialog calls, then the Update button on the Community nodes page. The published
 *   workflow stays published and keeps receiving callbacks, now handled by the new code: the
 *   trigger refuses a request without token in the current build's words, not in 0.1.0's (the
 *   items of the sample are the same in both versions).
 *
 * How n8n reaches the local registry. n8n 2.41.1 (dist/modules/community-packages/) runs
 * `npm view|pack|install … --registry=<r>` with the `npm` first on its PATH, and `npm outdated`
 * (which finds updates) without a registry. <r> is N8N_COMMUNITY_PACKAGES_REGISTRY, and any value
 * but the public npm registry throws FeatureNotLicensedError without an enterprise licence, so
 * the public npm registry is always named. The n8n processes here therefore get an `npm` wrapper
 * first on their PATH (localNpmRegistry.js npmRedirect) that drops that argument, points npm at the local
 * registry with a fresh npm cache (so each tarball really comes from the registry), logs the call
 * and runs the real npm. Everything else is n8n's own code, unchanged: the download folder, `npm
 * pack`, unpacking, the dependency install, loading the nodes, the database records, and keeping
 * the published workflow's webhook through the update.
 *
 * Not covered, because the wrapper stands in for it:
 * - n8n's own handling of a custom registry (N8N_COMMUNITY_PACKAGES_REGISTRY, its licence check
 *   and N8N_COMMUNITY_PACKAGES_AUTH_TOKEN): the public npm registry stays configured.
 * - n8n's direct HTTP look-ups (npm-utils.js executeNpmRequest, which checks that the version
 *   exists) still go to the public npm registry, where this package is not published: they answer
 *   404, and n8n falls back to `npm view`, which the wrapper sends here. Were the package published
 *   there, that check would pass on the public copy; the download still comes from here.
 * - n8n's ban-list check (a POST to n8n's own API) cannot resolve n8n's host offline; n8n treats
 *   that as "not banned", as it does whenever the call fails.
 * - Verified (vetted) installs with a checksum: they need n8n's catalogue, which is online.
 *
 * The browser may reach only the local n8n. The Community nodes page also asks a public npm
 * search service how many community packages exist (a number for its empty-state text); that
 * request is refused like every other outside request, and the one error it leaves in the
 * console is the only one tolerated. Neither the Install dialog nor the Update button needs it.
 *
 * Run after `npm run build`: npx jest -c jest.e2e.config.js test/e2e/install.e2e.cts
 * (part of `npm run test:e2e`). About 3 minutes: three n8n starts of ~20 s, two browser legs.
 */
import { existsSync, readFileSync, rmSync } from 'fs';
import { delimiter, join } from 'path';

import { buildCallbackRequest, DEMO_SECRETS, postCallback, withToken } from '../../scripts/lib/callbackRequest';
import { DEMO_CREDENTIAL, minimalTriggerWorkflow } from '../../scripts/lib/demo';
import { packPackage, publish } from '../../scripts/lib/localN8n';
import { N8nInstance } from '../../scripts/lib/n8nInstance';
import { findFreePortPair } from '../../scripts/lib/ports';
import { stopTrackedOnExit } from '../../scripts/lib/processes';
import { npmRedirect, startLocalRegistry } from '../../scripts/lib/localNpmRegistry';
import { cacheRoot, CURRENT_N8N, provisionN8n } from '../../scripts/lib/runtime';
import { openBrowser, signIn, type LocalBrowser } from '../helpers/browser.cjs';
import { FIXTURES, packageJson, triggersUnderTest } from '../helpers/triggers.cjs';
import { deliver } from '../helpers/webhook.cjs';

// Nothing this suite starts outlives the jest run, even when a failure skips its own stopping.
stopTrackedOnExit();

const PACKAGE: string = packageJson.name;
const CURRENT_VERSION: string = packageJson.version;
const PREVIOUS_VERSION = '0.1.0';
const PREVIOUS_RELEASE = join(FIXTURES, `${PACKAGE}-${PREVIOUS_VERSION}.tgz`);
const SIGNED = { scheme: DEMO_SECRETS.signatureScheme, signingKey: DEMO_SECRETS.signingSecret };
const TIME_ZONE = 'UTC';
/** Where n8n's Community nodes page asks how many community packages exist. */
const PACKAGE_COUNT_URL = 'https://api.npms.io/v2/search?q=keywords:n8n-community-node-package';
const trigger = triggersUnderTest().find(({ definition }) => definition.webhookPath === 'workflow-call-completed')!;
const SAMPLE = JSON.stringify(trigger.definition.sample, null, 2);
const sampleCallback = trigger.definition.sample as { workflow_id: string; task_id: string; details: object[] };

const workDir = join(cacheRoot(), 'e2e', 'install');
let registry: Awaited<ReturnType<typeof startLocalRegistry>>;
let runtime: Awaited<ReturnType<typeof provisionN8n>>;
let browser: LocalBrowser;
/** What the current build turns the sample into, outside n8n. */
let expectedItems: unknown[];
/** What the current build answers a request without token, signature or body, outside n8n. */
let expectedRefusal: Answer;

beforeAll(async () => {
	rmSync(workDir, { recursive: true, force: true });
	runtime = await provisionN8n(CURRENT_N8N, { log: () => undefined });
	registry = await startLocalRegistry({ logFolder: workDir, log: () => undefined });
	// The older one first, as they were released: `latest` is the current build.
	await registry.publish(PREVIOUS_RELEASE);
	await registry.publish(await packPackage());
	browser = await openBrowser(join(workDir, 'chromium-profile'), []);
	expectedItems = (await deliver(trigger.node, { body: SAMPLE, timezone: TIME_ZONE })).main;
	const refused = await deliver(trigger.node, { body: '', secrets: { ...DEMO_SECRETS } });
	expectedRefusal = { status: refused.status, body: refused.responseBody };
	expect(expectedRefusal).toEqual({ status: 401, body: { error: expect.any(String) } });
}, 900_000);

afterAll(async () => {
	await browser?.close();
	await registry?.stop();
});

interface LocalN8n {
	instance: N8nInstance;
	/** Every npm command n8n ran, one line each. */
	npmCalls: () => string[];
	/** The version of the package in n8n's community-nodes folder. */
	versionOnDisk: () => string | undefined;
}

/** A new n8n with its own user folder, whose npm installs from the local registry. */
async function startN8n(name: string, env: NodeJS.ProcessEnv = {}): Promise<LocalN8n> {
	const userFolder = join(workDir, name);
	const npm = npmRedirect(join(userFolder, 'npm'), registry.url, runtime.env.PATH ?? '');
	const instance = new N8nInstance({
		runtime,
		userFolder,
		port: await findFreePortPair(),
		env: { PATH: `${npm.binDir}${delimiter}${runtime.env.PATH}`, GENERIC_TIMEZONE: TIME_ZONE, ...env },
	});
	await instance.start();
	const installed = join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE, 'package.json');
	return {
		instance,
		npmCalls: () => readFileSync(npm.callsLog, 'utf8').split('\n').filter(Boolean),
		versionOnDisk: () => (existsSync(installed) ? JSON.parse(readFileSync(installed, 'utf8')).version : undefined),
	};
}

/** The versions of the package that the local registry sent out as tarballs. */
function tarballsServed(): string[] {
	const pattern = new RegExp(`GET /${PACKAGE}/-/${PACKAGE}-(\\d+\\.\\d+\\.\\d+)\\.tgz`, 'g');
	return [...readFileSync(registry.logFile, 'utf8').matchAll(pattern)].map((match) => match[1]);
}

/** The package as n8n lists it under Settings → Community nodes. */
async function installedPackage(instance: N8nInstance): Promise<{ packageName: string; installedVersion: string; installedNodes: unknown[] }> {
	const packages = await instance.rest('GET', '/community-packages');
	return packages.find((listed: { packageName: string }) => listed.packageName === PACKAGE);
}

interface CallbackWorkflow {
	id: string;
	url: string;
	/** The first answer of its webhook, once registered, to a request without token or signature. */
	refusal: Answer;
}

interface Answer {
	status: number | undefined;
	body: unknown;
}

/** Creates the demo credential and a trigger → Set workflow through n8n's REST API, then publishes it as the editor does. */
async function publishCallbackWorkflow(instance: N8nInstance): Promise<CallbackWorkflow> {
	const credential = await instance.rest('POST', '/credentials', {
		name: DEMO_CREDENTIAL.name,
		type: 'airudderCallbackApi',
		data: { ...DEMO_SECRETS },
	});
	const { workflow, path } = minimalTriggerWorkflow('AirudderInstalled', trigger.definition.webhookPath);
	const nodes = workflow.nodes.map((node) =>
		'credentials' in node ? { ...node, credentials: { airudderCallbackApi: { id: credential.id, name: credential.name } } } : node,
	);
	const created = await instance.rest('POST', '/workflows', {
		name: workflow.name,
		nodes,
		connections: workflow.connections,
		settings: workflow.settings,
	});
	await publish(instance, created.id);
	const url = `${instance.baseUrl}/webhook/${path}`;
	return { id: created.id, url, refusal: await waitForWebhook(url) };
}

/**
 * A request without URL token, signature or body, which the trigger refuses on its own (401, no
 * execution) in words that differ between 0.1.0 and the current build: this tells which code
 * handled it.
 */
async function postUnsigned(url: string): Promise<Answer> {
	const response = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(10_000) });
	const text = await response.text();
	return { status: response.status, body: response.status === 404 ? text : JSON.parse(text) };
}

/** n8n registers a published workflow's webhook moments after the publish request returns; until then the URL answers 404. */
async function waitForWebhook(url: string): Promise<Answer> {
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		const answer = await postUnsigned(url);
		if (answer.status !== 404) return answer;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`The webhook ${url} was not registered within 30 s`);
}

/** Posts the signed sample callback and reads back the items the trigger produced in n8n. */
async function sendSample(instance: N8nInstance, workflow: CallbackWorkflow) {
	const before = await instance.latestExecutionId(workflow.id);
	const response = await postCallback(withToken(workflow.url, DEMO_SECRETS.urlToken), buildCallbackRequest(SAMPLE, SIGNED));
	expect(response).toEqual({ status: 200, body: '{"message":"Workflow was started"}' });
	const execution = await instance.waitForExecutionAfter(workflow.id, before);
	expect(execution.status).toBe('success');
	const [main] = execution.runData[trigger.definition.displayName][0].data!.main;
	return (main ?? []).map((item) => item.json);
}

/** Opens Settings → Community nodes in the browser, signed in to `instance`. */
async function openCommunityNodes(instance: N8nInstance) {
	browser.allow(instance.baseUrl);
	// Cookies do not tell ports apart: the previous n8n's session cookie must not reach this one.
	await browser.context.clearCookies();
	await signIn(browser, instance.baseUrl);
	await browser.page.goto(`${instance.baseUrl}/settings/community-nodes`);
}

/**
 * The console errors, less the one the offline Community nodes page is allowed: its count of
 * community packages, asked of a public npm search service, was refused (see the header).
 */
function unexpectedErrors(): string[] {
	const countRefused = browser.refused().some((url) => url.startsWith(PACKAGE_COUNT_URL));
	return browser
		.takeErrors()
		.filter((error) => !(countRefused && error.startsWith("ResponseError: Can't connect to n8n.") && error.includes('SettingsCommunityNodesView')));
}

function packageCard() {
	return browser.page.locator('[data-test-id="community-package-card"]').filter({ hasText: PACKAGE });
}

describe(`installing ${PACKAGE} into n8n ${CURRENT_N8N} from an npm registry`, () => {
	describe('from n8n’s Community nodes page', () => {
		let local: LocalN8n;

		beforeAll(async () => {
			local = await startN8n('community-nodes-page');
		}, 300_000);

		afterAll(async () => {
			// Away from the page first: it would keep calling the stopped n8n.
			await browser.page.goto('about:blank');
			await local?.instance.stop();
		});

		it('installs from n8n’s Community Nodes page and the installed trigger receives a callback', async () => {
			await local.instance.signIn();
			await openCommunityNodes(local.instance);
			const { page } = browser;
			await page.getByRole('button', { name: 'Install a community node' }).click();
			const dialog = page.getByRole('dialog').filter({ hasText: 'Install community nodes' });
			await dialog.locator('input[data-test-id="package-name-input"]').fill(PACKAGE);
			await dialog.locator('[data-test-id="user-agreement-checkbox"]').click();
			await dialog.locator('[data-test-id="install-community-package-button"]').click();
			await dialog.waitFor({ state: 'hidden', timeout: 120_000 });
			await packageCard().getByText(`v${CURRENT_VERSION}`).waitFor();
			expect(unexpectedErrors()).toEqual([]);

			const listed = await installedPackage(local.instance);
			expect(listed).toMatchObject({ installedVersion: CURRENT_VERSION });
			expect(listed.installedNodes).toHaveLength(packageJson.n8n.nodes.length);
			expect(local.versionOnDisk()).toBe(CURRENT_VERSION);
			expect(local.npmCalls()).toContainEqual(expect.stringMatching(new RegExp(`^pack ${PACKAGE}@latest `)));
			expect(tarballsServed()).toContain(CURRENT_VERSION);

			const workflow = await publishCallbackWorkflow(local.instance);
			expect(workflow.refusal).toEqual(expectedRefusal);
			expect(await sendSample(local.instance, workflow)).toEqual(expectedItems);
		}, 300_000);
	});

	describe('listed in N8N_COMMUNITY_PACKAGES', () => {
		let local: LocalN8n;

		beforeAll(async () => {
			local = await startN8n('environment', {
				N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV: 'true',
				N8N_COMMUNITY_PACKAGES: JSON.stringify([{ name: PACKAGE, version: CURRENT_VERSION }]),
			});
		}, 300_000);

		afterAll(async () => {
			await local?.instance.stop();
		});

		it('is installed by n8n while it starts, and a published workflow with its trigger receives a callback', async () => {
			expect(local.versionOnDisk()).toBe(CURRENT_VERSION);
			expect(local.npmCalls()).toContainEqual(expect.stringMatching(new RegExp(`^pack ${PACKAGE}@${CURRENT_VERSION.replaceAll('.', '\\.')} `)));
			expect(local.instance.log()).toContain(`Installed community package '${PACKAGE}@${CURRENT_VERSION}' from env`);
			expect(await installedPackage(local.instance)).toMatchObject({ installedVersion: CURRENT_VERSION });

			const workflow = await publishCallbackWorkflow(local.instance);
			expect(workflow.refusal).toEqual(expectedRefusal);
			expect(await sendSample(local.instance, workflow)).toEqual(expectedItems);
		});

		it('refuses installs through the API while the environment manages the packages', async () => {
			await expect(local.instance.rest('POST', '/community-packages', { name: PACKAGE })).rejects.toThrow(/400 .*managed via environment variables/);
		});
	});

	describe(`updated by n8n’s installer from ${PREVIOUS_VERSION}`, () => {
		let local: LocalN8n;
		let workflow: CallbackWorkflow;

		beforeAll(async () => {
			local = await startN8n('update');
		}, 300_000);

		afterAll(async () => {
			await local?.instance.stop();
		});

		it(`installs ${PREVIOUS_VERSION}, whose trigger in a published workflow receives a callback`, async () => {
			// The request the Install dialog sends for "<name>@<version>".
			const installed = await local.instance.rest('POST', '/community-packages', { name: PACKAGE, version: PREVIOUS_VERSION });
			expect(installed).toMatchObject({ packageName: PACKAGE, installedVersion: PREVIOUS_VERSION });
			expect(local.versionOnDisk()).toBe(PREVIOUS_VERSION);
			expect(tarballsServed()).toContain(PREVIOUS_VERSION);

			workflow = await publishCallbackWorkflow(local.instance);
			const items = await sendSample(local.instance, workflow);
			const { workflow_id, task_id } = sampleCallback;
			expect(items).toEqual(sampleCallback.details.map(() => expect.objectContaining({ workflow_id, task_id })));
			// 0.1.0 refuses in its own words, which is how the next spec tells which code answered.
			expect(workflow.refusal).toEqual({ status: 401, body: { error: expect.any(String) } });
			expect(workflow.refusal).not.toEqual(expectedRefusal);
		}, 120_000);

		it(`updates to ${CURRENT_VERSION} with the Update button; the workflow stays published and its callbacks reach the new code`, async () => {
			await openCommunityNodes(local.instance);
			const { page } = browser;
			await packageCard().getByText(`v${PREVIOUS_VERSION}`).waitFor();
			// n8n offers the update because `npm outdated` found the newer version in the registry.
			await packageCard().getByRole('button', { name: 'Update' }).click();
			const dialog = page.getByRole('dialog').filter({ hasText: 'Update node package' });
			await dialog.getByRole('button', { name: 'Confirm update' }).click();
			await dialog.waitFor({ state: 'hidden', timeout: 120_000 });
			await packageCard().getByText(`v${CURRENT_VERSION}`).waitFor();
			expect(unexpectedErrors()).toEqual([]);

			expect(await installedPackage(local.instance)).toMatchObject({ installedVersion: CURRENT_VERSION });
			expect(local.versionOnDisk()).toBe(CURRENT_VERSION);
			expect(local.npmCalls()).toContainEqual(expect.stringMatching(new RegExp(`^pack ${PACKAGE}@latest `)));

			const { active } = await local.instance.rest('GET', `/workflows/${workflow.id}`);
			expect(active).toBe(true);
			expect(await postUnsigned(workflow.url)).toEqual(expectedRefusal);
			expect(await sendSample(local.instance, workflow)).toEqual(expectedItems);
		}, 300_000);
	});
});
