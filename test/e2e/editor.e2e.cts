/**
 * The editor as our users see it: the local n8n of `npm start`, driven by Debian's Chromium
 * through playwright-core. Opens every ready-made workflow and every AIRudder trigger's panel,
 * fails on any browser console error, and saves the screenshots the README shows (docs/).
 */
import { mkdirSync, rmSync } from 'fs';
import { join } from 'path';
import type { Page } from 'playwright-core';

import { DEMO_CREDENTIAL, productionUrl } from '../../scripts/lib/demo';
import { launchLocalN8n, packPackage } from '../../scripts/lib/localN8n';
import { findFreePortPair } from '../../scripts/lib/ports';
import { stopTrackedOnExit } from '../../scripts/lib/processes';
import { CURRENT_N8N, cacheRoot } from '../../scripts/lib/runtime';
import { openBrowser, signIn, type LocalBrowser } from '../helpers/browser.cjs';
import { ROOT } from '../helpers/triggers.cjs';

// Nothing this suite starts outlives the jest run, even when a failure skips its own stopping.
stopTrackedOnExit();

const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');


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
	await panel.locator('.webhook-url').first().click();
	await page.getByText('URL copied', { exact: false }).first().waitFor();
	return String(await page.evaluate('navigator.clipboard.readText()'));
}

function takeErrors(): string[] {
	return browser.takeErrors();
}

describe(`the n8n ${CURRENT_N8N} editor with the package installed`, () => {
	it('opens the AIRudder Callback API credential with its fields', async () => {
		await page.goto(`${local.instance.baseUrl}/home/credentials/${DEMO_CREDENTIAL.id}`);
		const modal = page.locator('[data-test-id="editCredential-modal"]');
		for (const field of ['Signature', 'AES Key', 'URL Token']) await modal.getByText(field, { exact: true }).first().waitFor();
		await page.waitForLoadState('networkidle');
		await page.screenshot({ path: join(SCREENSHOTS, 'credential.png') });
		await page.keyboard.press('Escape');
		expect(takeErrors()).toEqual([]);
	});

	it('opens each ready-made workflow and its AIRudder trigger without a console error', async () => {
		for (const example of local.examples) {
			await openWorkflow(example.id);
			for (const node of example.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote')) {
				await canvasNode(node.name).waitFor();
			}
			const slug = example.name.replace(/^AIRudder /, '').replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '').toLowerCase();
			await page.screenshot({ path: join(SCREENSHOTS, `example-${slug}.png`) });

			const trigger = example.nodes.find((node) => node.type.startsWith('n8n-nodes-airudder.'))!;
			await openNode(trigger.name);
			const panel = page.locator('[data-test-id="ndv"]');
			// Imported unpublished: the panel must say so.
			await panel.getByText('This workflow is not published', { exact: false }).waitFor();
			await page.screenshot({ path: join(SCREENSHOTS, `example-${slug}-trigger.png`) });
			await closeNode();
			expect({ workflow: example.name, errors: takeErrors() }).toEqual({ workflow: example.name, errors: [] });
		}
	}, 600_000);

	it('shows the promise-to-pay filter in the trigger’s subtitle on the canvas', async () => {
		const example = local.examples.find((workflow) => workflow.name.includes('promise-to-pay'))!;
		await openWorkflow(example.id);
		const trigger = example.nodes.find((node) => node.type.startsWith('n8n-nodes-airudder.'))!;
		await expect(canvasNode(trigger.name).textContent()).resolves.toContain(
			'Connected only · Result Labels: PTP, Promise to Pay',
		);
	});

	it('opens every AIRudder trigger’s panel: notice, parameters and a one-click Production URL', async () => {
		for (const { trigger, workflow } of local.workflows) {
			const { definition } = trigger;
			await openWorkflow(workflow.id);
			await openNode(definition.displayName);
			const panel = page.locator('[data-test-id="ndv"]');
			await panel.getByText(`"${definition.vendorName.en}"`, { exact: false }).first().waitFor();
			await panel.getByText('Allowed IP Addresses', { exact: true }).waitFor();
			await panel.getByText('Published: every', { exact: false }).waitFor();
			const copied = await copyProductionUrl();
			expect(copied).toBe(productionUrl(local.instance.baseUrl, definition));
			await page.screenshot({ path: join(SCREENSHOTS, `trigger-${definition.webhookPath}.png`) });
			await closeNode();
			expect({ trigger: definition.displayName, errors: takeErrors() }).toEqual({ trigger: definition.displayName, errors: [] });
		}
	}, 900_000);
});
