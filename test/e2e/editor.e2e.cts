/**
 * The editor as our users see it: the local n8n of `npm start`, driven by Debian's Chromium
 * through playwright-core. Opens every ready-made workflow and every AIRudder trigger's panel,
 * fails on any browser console error, and saves the screenshots the README shows (docs/).
 */
// The functions handed to playwright's evaluate run in the page, so they are typed against the DOM.
/// <reference lib="dom" />
import { mkdirSync, rmSync } from 'fs';
import { setTimeout as sleep } from 'timers/promises';
import { NodeHelpers, type INodeParameters, type INodeProperties } from 'n8n-workflow';
import { join } from 'path';
import type { ElementHandle, Locator, Page } from 'playwright-core';

import { AirudderCallbackApi } from '../../credentials/AirudderCallbackApi.credentials';
import type { CallbackDefinition } from '../../nodes/Airudder/vocabulary/definition';
import { N8N_LABELS } from '../../nodes/Airudder/trigger/n8nLabels';
import { setupNotice } from '../../nodes/Airudder/trigger/texts';
import { AirudderAction } from '../../nodes/AirudderAction/AirudderAction.node';
import { operations } from '../../nodes/AirudderAction/actions/operations';
import { buildCallbackRequest, DEMO_SECRETS, postCallback, withToken } from '../../scripts/lib/callbackRequest';
import { DEMO_CREDENTIAL, demoCredentials, demoTableName, productionUrl } from '../../scripts/lib/demo';
import { launchLocalN8n, packPackage } from '../../scripts/lib/localN8n';
import { findFreePortPair } from '../../scripts/lib/ports';
import { stopTrackedOnExit } from '../../scripts/lib/processes';
import { CURRENT_N8N, cacheRoot } from '../../scripts/lib/runtime';
import { openBrowser, signIn, UI_TIMEOUT_MS, type LocalBrowser } from '../helpers/browser.cjs';
import { sendToDemoWorkflow } from '../helpers/suiteN8n.cjs';
import { ROOT } from '../helpers/triggers.cjs';

// Nothing this suite starts outlives the jest run, even when a failure skips its own stopping.
stopTrackedOnExit();

const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const CREDENTIAL_PROPERTIES = new AirudderCallbackApi().properties;

type Local = Awaited<ReturnType<typeof launchLocalN8n>>;

let local: Local;
let browser: LocalBrowser;
let page: Page;

beforeAll(async () => {
	const userFolder = join(cacheRoot(), 'e2e', 'editor');
	rmSync(userFolder, { recursive: true, force: true });
	local = await launchLocalN8n({
		version: CURRENT_N8N,
		userFolder,
		port: await findFreePortPair(),
		tarball: await packPackage(),
		log: () => undefined,
	});
	mkdirSync(SCREENSHOTS, { recursive: true });
	browser = await openBrowser(join(cacheRoot(), 'e2e', 'chromium-profile'), [local.instance.baseUrl]);
	page = browser.page;
	await signIn(browser, local.instance.baseUrl);
}, 900_000);

afterAll(async () => {
	await browser?.close();
	await local?.instance.stop();
});

async function openWorkflow(id: string) {
	await page.goto(`${local.instance.baseUrl}/workflow/${id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	await page.waitForLoadState('networkidle');
}

function canvasNode(name: string) {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
}

async function openNode(name: string) {
	await canvasNode(name).dblclick();
	await page.locator('[data-test-id="ndv"]').waitFor();
	await page.waitForLoadState('networkidle');
}

async function closeNode() {
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
}

/** What the user copies with one click: Webhook URLs → Production URL → the address. */
async function copyProductionUrl(): Promise<string> {
	const panel = page.locator('[data-test-id="ndv"]');
	await panel.getByText('Webhook URLs', { exact: true }).click();
	await panel.getByText('Production URL', { exact: true }).click();
	// The previous trigger's "URL copied" toast can still be showing, so the clipboard itself is
	// emptied first and read until the editor has written this trigger's URL into it.
	await page.evaluate('navigator.clipboard.writeText("")');
	await panel.locator('.webhook-url').first().click();
	await page.getByText('URL copied', { exact: false }).first().waitFor();
	for (const deadline = Date.now() + UI_TIMEOUT_MS; Date.now() < deadline; await sleep(100)) {
		const copied = String(await page.evaluate('navigator.clipboard.readText()'));
		if (copied !== '') return copied;
	}
	throw new Error(`Clicking the Production URL put nothing on the clipboard within ${UI_TIMEOUT_MS} ms.`);
}

function plainText(html: string): string {
	return html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}

/** The open node's yellow notice, as the browser renders it. */
async function shownNotice(definition: CallbackDefinition): Promise<string> {
	const notice = page.locator('[data-test-id="ndv"] .notice', { hasText: `"${definition.vendorName.en}"` }).first();
	return plainText(await notice.innerText());
}

function takeErrors(): string[] {
	return browser.takeErrors();
}

/** The values the editor decides visibility on: each property's default, overridden by what is saved. */
function credentialValues(saved: INodeParameters): INodeParameters {
	return { ...Object.fromEntries(CREDENTIAL_PROPERTIES.map(({ name, default: value }) => [name, value])), ...saved };
}

interface CredentialView {
	file: string;
	/** The display names whose label lay wholly inside the visible part of the modal's scrolling area. */
	inView: string[];
}

async function scrollContainerTo(container: ElementHandle<Element>, end: 'top' | 'bottom') {
	const reached = await container.evaluate(async (element, end) => {
		element.scrollTo({ top: end === 'top' ? 0 : element.scrollHeight, behavior: 'instant' });
		// By the second animation frame after the scroll, the browser has laid it out and painted it.
		await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
		return end === 'top' ? element.scrollTop === 0 : element.scrollTop + element.clientHeight >= element.scrollHeight - 1;
	}, end);
	expect({ scrolledTo: end, reached }).toEqual({ scrolledTo: end, reached: true });
}

/**
 * The element that scrolls the credential's fields. n8n caps the modal's height, so the fields
 * below the fold are reached only by scrolling it; a taller window shows no more of them.
 */
async function credentialScrollContainer(modal: Locator): Promise<ElementHandle<Element>> {
	const container = await modal.evaluateHandle((root) => {
		const scrolling = [root, ...Array.from(root.querySelectorAll('*'))].filter((element) => {
			const { overflowY } = getComputedStyle(element);
			return (overflowY === 'auto' || overflowY === 'scroll') && element.scrollHeight > element.clientHeight;
		});
		if (scrolling.length !== 1) {
			const classes = scrolling.map((element) => `"${element.className}"`).join(', ');
			throw new Error(`Expected one scrolling element in the credential modal, found ${scrolling.length}: ${classes}`);
		}
		return scrolling[0];
	});
	return container.asElement()!;
}

/** Which of the credential's labels lie wholly inside the scroll container's visible rectangle, within the window. */
async function labelsInView(container: ElementHandle<Element>): Promise<string[]> {
	return container.evaluate((element, names) => {
		const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();
		const area = element.getBoundingClientRect();
		const top = Math.max(area.top, 0);
		const bottom = Math.min(area.bottom, window.innerHeight);
		const left = Math.max(area.left, 0);
		const right = Math.min(area.right, window.innerWidth);
		const elements = Array.from(element.querySelectorAll('*'));
		return names.filter((name) =>
			elements.some((label) => {
				if (normalize(label.textContent ?? '') !== normalize(name)) return false;
				const box = label.getBoundingClientRect();
				return box.width > 0 && box.height > 0 && box.top >= top && box.bottom <= bottom && box.left >= left && box.right <= right;
			}),
		);
	}, CREDENTIAL_PROPERTIES.map(({ displayName }) => displayName));
}

async function screenshotCredential(modal: Locator, container: ElementHandle<Element>, file: string): Promise<CredentialView> {
	const before = await labelsInView(container);
	await modal.screenshot({ path: join(SCREENSHOTS, file) });
	const after = await labelsInView(container);
	// Had the form moved during the shot, neither list would say what the picture shows.
	expect({ file, inView: after }).toEqual({ file, inView: before });
	return { file, inView: after };
}

function dataTableGrid() {
	return page.locator('[data-test-id="data-table-grid"]');
}

/**
 * Scrolls the open Data table sideways until the column of this name is the first one in view, and
 * answers its column id. The grid draws only the columns in view, so the column is looked for a
 * screen at a time, and again while the grid is still loading its columns.
 */
async function scrollTableToColumn(column: string): Promise<string> {
	const scrollTo = () =>
		dataTableGrid().evaluate(async (grid, column) => {
			const viewport = grid.querySelector<HTMLElement>('.ag-center-cols-viewport')!;
			// By the second animation frame after a scroll, the grid has drawn the columns it brought into view.
			const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
			// A header repeats its name (the name and an inline rename field), so the name is looked for in its innermost elements.
			const named = (cell: Element) => Array.from(cell.querySelectorAll('*')).some((part) => part.childElementCount === 0 && part.textContent?.trim() === column);
			const header = () => Array.from(grid.querySelectorAll<HTMLElement>('.ag-header-cell')).find(named);
			viewport.scrollLeft = 0;
			await painted();
			while (!header() && viewport.scrollLeft + viewport.clientWidth < viewport.scrollWidth) {
				viewport.scrollLeft += viewport.clientWidth;
				await painted();
			}
			if (!header()) return { colId: '', firstInView: false };
			viewport.scrollLeft = parseFloat(header()!.style.left);
			await painted();
			return {
				colId: header()!.getAttribute('col-id') ?? '',
				firstInView: Math.abs(header()!.getBoundingClientRect().left - viewport.getBoundingClientRect().left) < 2,
			};
		}, column);
	let scrolled = await scrollTo();
	for (const deadline = Date.now() + UI_TIMEOUT_MS; !scrolled.firstInView && Date.now() < deadline; scrolled = await scrollTo()) await sleep(250);
	expect({ column, firstInView: scrolled.firstInView }).toEqual({ column, firstInView: true });
	return scrolled.colId;
}

describe(`the n8n ${CURRENT_N8N} editor with the package installed`, () => {
	it('opens the AIRudder Callback API credential: its top and its bottom, in two screenshots, show every field it displays', async () => {
		const demoValues = credentialValues(demoCredentials().find(({ id }) => id === DEMO_CREDENTIAL.id)!.data);
		const shown = CREDENTIAL_PROPERTIES.filter((property) => NodeHelpers.displayParameter(demoValues, property, null, null));
		const hidden = CREDENTIAL_PROPERTIES.filter((property) => !shown.includes(property));
		await page.goto(`${local.instance.baseUrl}/home/credentials/${DEMO_CREDENTIAL.id}`);
		const modal = page.locator('[data-test-id="editCredential-modal"]');
		for (const { displayName } of shown) await modal.getByText(displayName, { exact: true }).first().waitFor();
		// The connection test runs on opening and adds its banner above the fields.
		await page.waitForLoadState('networkidle');

		const container = await credentialScrollContainer(modal);
		await scrollContainerTo(container, 'top');
		const top = await screenshotCredential(modal, container, 'credential.png');
		await scrollContainerTo(container, 'bottom');
		const bottom = await screenshotCredential(modal, container, 'credential-more.png');
		const inNeither = shown
			.map(({ displayName }) => displayName)
			.filter((field) => !top.inView.includes(field) && !bottom.inView.includes(field));
		expect({ inNeitherScreenshot: inNeither }).toEqual({ inNeitherScreenshot: [] });
		// Exempt only because n8n does not display them with the demo's values, which their absence from the modal confirms.
		const labelsRendered = async ({ displayName, displayOptions }: INodeProperties) => ({
			field: displayName,
			hiddenBy: displayOptions,
			labelsInModal: await modal.getByText(displayName, { exact: true }).count(),
		});
		expect(await Promise.all(hidden.map(labelsRendered))).toEqual(
			hidden.map(({ displayName, displayOptions }) => ({ field: displayName, hiddenBy: displayOptions, labelsInModal: 0 })),
		);

		await page.keyboard.press('Escape');
		expect(takeErrors()).toEqual([]);
	});

	it('opens each ready-made workflow, its AIRudder trigger and its AIRudder node without a console error', async () => {
		for (const example of local.examples) {
			await openWorkflow(example.id);
			for (const node of example.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote')) {
				await canvasNode(node.name).waitFor();
			}
			const slug = example.name.replace(/^AIRudder /, '').replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '').toLowerCase();
			await page.screenshot({ path: join(SCREENSHOTS, `example-${slug}.png`) });

			const panel = page.locator('[data-test-id="ndv"]');
			const trigger = example.nodes.find((node) => node.type.startsWith('n8n-nodes-airudder.') && node.type.endsWith('Trigger'));
			if (trigger) {
				await openNode(trigger.name);
				// Imported unpublished: the panel must say so.
				await panel.getByText('This workflow is not published', { exact: false }).waitFor();
				await page.screenshot({ path: join(SCREENSHOTS, `example-${slug}-trigger.png`) });
				await closeNode();
			}
			// As a tool (an AI agent's or the MCP Server Trigger's), n8n names the node type <name>Tool.
			const actionNode = example.nodes.find((node) => node.type.replace(/Tool$/, '') === `n8n-nodes-airudder.${new AirudderAction().description.name}`);
			if (actionNode) {
				await openNode(actionNode.name);
				// The operation's first field, by its label, shows the panel has rendered its parameters.
				const operation = operations.find(({ resource, value }) => resource === actionNode.parameters.resource && value === actionNode.parameters.operation)!;
				const firstField = operation.properties.find((property) => property.type !== 'notice')!;
				await panel.getByText(firstField.displayName, { exact: true }).first().waitFor();
				await page.screenshot({ path: join(SCREENSHOTS, `example-${slug}-airudder.png`) });
				await closeNode();
			}
			expect(trigger ?? actionNode).toBeDefined();
			expect({ workflow: example.name, errors: takeErrors() }).toEqual({ workflow: example.name, errors: [] });
		}
	}, 600_000);

	it('shows the filters of the promise-to-pay example in the trigger’s subtitle on the canvas, uncut', async () => {
		const example = local.examples.find((workflow) => workflow.name.includes('promise-to-pay'))!;
		await openWorkflow(example.id);
		const trigger = example.nodes.find((node) => node.type.startsWith('n8n-nodes-airudder.'))!;
		const subtitle = canvasNode(trigger.name).locator('[class*="subtitle"]').first();
		await expect(subtitle.textContent()).resolves.toBe('Connected only +1');
		// n8n ends a line that does not fit with an ellipsis; the element then scrolls.
		await expect(subtitle.evaluate((element) => element.scrollWidth <= element.clientWidth)).resolves.toBe(true);
	});

	it('opens every AIRudder trigger’s panel: notice, parameters and a one-click Production URL', async () => {
		for (const { trigger, workflow } of local.workflows) {
			const { definition } = trigger;
			await openWorkflow(workflow.id);
			await openNode(definition.displayName);
			const panel = page.locator('[data-test-id="ndv"]');
			await panel.getByText(`"${definition.vendorName.en}"`, { exact: false }).first().waitFor();
			await expect(shownNotice(definition)).resolves.toBe(plainText(setupNotice(definition)));
			await panel.getByText('Allowed IP Addresses', { exact: true }).waitFor();
			await panel.getByText('Published: each', { exact: false }).waitFor();
			const copied = await copyProductionUrl();
			expect(copied).toBe(productionUrl(local.instance.baseUrl, definition));
			// The rest of the setup the notice leaves out is one click away, in the trigger panel.
			await panel.getByText(N8N_LABELS.moreInfo, { exact: true }).first().click();
			await panel.getByText('If the Production URL starts with http://localhost or 127.0.0.1', { exact: false }).waitFor();
			await panel.getByText(definition.timestampField ? 'Replay Window applies' : 'Replay Window does not apply', { exact: false }).waitFor();
			await page.screenshot({ path: join(SCREENSHOTS, `trigger-${definition.webhookPath}.png`) });
			await closeNode();
			expect({ trigger: definition.displayName, errors: takeErrors() }).toEqual({ trigger: definition.displayName, errors: [] });
		}
	}, 900_000);

	it('shows in the Data tables tab the rows a demo workflow upserted: one per call of the callback it received', async () => {
		const demo = local.workflows.find(({ trigger }) => trigger.definition.webhookPath === 'workflow-call-completed')!;
		const { definition } = demo.trigger;
		const execution = await sendToDemoWorkflow(local, demo, JSON.stringify(definition.sample));
		expect(execution.status).toBe('success');

		await page.goto(`${local.instance.baseUrl}/home/datatables`);
		await page.locator('[data-test-id="data-table-card-name"]').getByText(demoTableName(definition), { exact: true }).click();
		const rows = dataTableGrid().locator('.ag-center-cols-container [role="row"]');
		await rows.first().waitFor();
		await page.waitForLoadState('networkidle');
		const calleeNumbers = await scrollTableToColumn('callee_number');
		// The sample's three calls, each once: the rows the screenshot shows.
		expect(await rows.locator(`[col-id="${calleeNumbers}"]`).allInnerTexts()).toEqual(['+8618000000721', '+8618000000722', '+8618000000723']);
		// The table and its row count, without the empty page below them.
		const pagination = (await page.locator('[data-test-id="data-table-content-pagination"]').boundingBox())!;
		const clip = { x: 0, y: 0, width: page.viewportSize()!.width, height: pagination.y + pagination.height + 16 };
		await page.screenshot({ path: join(SCREENSHOTS, 'data-table-workflow-call-completed.png'), clip });
		expect(takeErrors()).toEqual([]);
	});

	describe('the first test a user runs, with the buttons our texts name', () => {
		const SIGNED = { scheme: DEMO_SECRETS.signatureScheme, signingKey: DEMO_SECRETS.signingSecret };
		const demo = () => local.workflows.find(({ trigger }) => trigger.definition.webhookPath === 'workflow-call-completed')!;
		const panel = () => page.locator('[data-test-id="ndv"]');
		const testUrl = () => demo().url.replace('/webhook/', '/webhook-test/');

		/** The button in the middle of the trigger's panel; the panel's header repeats it. */
		const listenButton = () => panel().locator('[data-test-id="trigger-execute-button"]');

		/** Clicks the button our notices name and waits until n8n says it listens. */
		async function startListening() {
			await expect(listenButton().innerText()).resolves.toBe(N8N_LABELS.executeStep);
			await listenButton().click();
			await panel().getByRole('button', { name: N8N_LABELS.stopListening, exact: true }).first().waitFor();
		}

		/**
		 * Posts to the Test URL. n8n registers it a moment after the button changes, and answers 404
		 * until then without ending the listening, so a 404 is tried again.
		 */
		async function sendToTestUrl(token: string, request: ReturnType<typeof buildCallbackRequest>) {
			const deadline = Date.now() + UI_TIMEOUT_MS;
			for (;;) {
				const sent = await postCallback(withToken(testUrl(), token), request);
				if (sent.status !== 404 || Date.now() > deadline) return sent;
				await sleep(250);
			}
		}

		/** Like any test event, a callback ends the listening. */
		async function expectListeningEnded() {
			await panel().getByRole('button', { name: N8N_LABELS.stopListening, exact: true }).first().waitFor({ state: 'detached' });
			await panel().getByRole('button', { name: N8N_LABELS.executeStep, exact: true }).first().waitFor();
		}

		/** The refused test callback's Invalid item, as the output panel shows it once n8n has stopped listening. */
		async function expectRefusalShown(stage: string, reasonStart: string) {
			const output = panel().locator('[data-test-id="output-panel"]');
			// n8n names each output's tab "<output name> Branch"; our texts send the user to "Invalid Branch".
			await output.locator('[data-test-id="branches"]').getByText('Invalid Branch', { exact: false }).first().click();
			await output.getByText(reasonStart, { exact: false }).first().waitFor();
			await output.getByText(stage, { exact: true }).first().waitFor();
			await expectListeningEnded();
		}

		beforeAll(async () => {
			await openWorkflow(demo().workflow.id);
			await openNode(demo().trigger.definition.displayName);
		});

		it(`listens after "${N8N_LABELS.executeStep}", and a callback to the Test URL shows one row per call of the sample`, async () => {
			await startListening();
			const { definition } = demo().trigger;
			const sent = await sendToTestUrl(DEMO_SECRETS.urlToken, buildCallbackRequest(JSON.stringify(definition.sample), SIGNED));
			expect(sent.status).toBe(200);
			const calls = (definition.sample as { details: object[] }).details.length;
			expect(calls).toBeGreaterThan(1);
			await panel().locator('[data-test-id="output-panel"]').getByText(`${calls} items`, { exact: false }).first().waitFor();
			await expectListeningEnded();
			expect(takeErrors()).toEqual([]);
		});

		it('shows a test callback with a wrong URL token on the Invalid output, with the reason, and still answers 401', async () => {
			await startListening();
			const request = buildCallbackRequest(JSON.stringify(demo().trigger.definition.sample), SIGNED);
			const sent = await sendToTestUrl('a-guessed-token', request);
			expect(sent.status).toBe(401);
			await expectRefusalShown('token', 'The URL token is missing or wrong');
			expect(takeErrors()).toEqual([]);
		});

		it('shows a test callback with a bad signature on the Invalid output, with the reason, and still answers 401', async () => {
			await startListening();
			const forged = buildCallbackRequest(JSON.stringify(demo().trigger.definition.sample), { ...SIGNED, signingKey: 'not-our-key' });
			const sent = await sendToTestUrl(DEMO_SECRETS.urlToken, forged);
			expect(sent.status).toBe(401);
			await expectRefusalShown('signature', 'The signature does not match');
			await page.screenshot({ path: join(SCREENSHOTS, 'test-refused-signature.png') });
			expect(takeErrors()).toEqual([]);
		});

		it('starts no execution for the same refusal on the Production URL', async () => {
			const { workflow, url } = demo();
			const before = await local.instance.latestExecutionId(workflow.id);
			const request = buildCallbackRequest(JSON.stringify(demo().trigger.definition.sample), SIGNED);
			expect((await postCallback(withToken(url, 'a-guessed-token'), request)).status).toBe(401);
			// An execution would be recorded well within this, as the triggers suite shows for accepted ones.
			await sleep(3000);
			expect(await local.instance.latestExecutionId(workflow.id)).toBe(before);
			await closeNode();
		});

		it(`opens the "${N8N_LABELS.addToWorkflow}" card when the trigger is picked in the node panel`, async () => {
			const { definition } = demo().trigger;
			await page.goto(`${local.instance.baseUrl}/workflow/new`);
			await page.locator('[data-test-id="canvas-add-button"]').click();
			await page.locator('[data-test-id="node-creator-search-bar"]').fill(definition.displayName);
			await page.locator('[data-test-id="node-creator-item-name"]').getByText(definition.displayName, { exact: true }).first().click();
			await page.getByRole('button', { name: N8N_LABELS.addToWorkflow, exact: true }).click();
			await page.locator('[data-test-id="ndv"]').waitFor();
			expect(takeErrors()).toEqual([]);
		});
	});
});
