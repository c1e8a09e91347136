/**
 * Debian's Chromium driven by playwright-core, kept on loopback, for the browser tests: every
 * request outside the allowed local addresses is refused, and every console error is collected.
 */
import { rmSync } from 'fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { LOCAL_OWNER } from '../../scripts/lib/n8nClient';
import { ensureChromium } from '../../scripts/lib/services';

/** Chromium stays on loopback: no updates, no sync, no QUIC, nothing from outside. */
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
export const UI_TIMEOUT_MS = 30_000;

export interface LocalBrowser {
	context: BrowserContext;
	page: Page;
	/** Lets the browser reach one more local server, such as a second n8n. */
	allow(baseUrl: string): void;
	/** The console errors so far, emptied. */
	takeErrors(): string[];
	/** Every outside address the page tried to reach and was refused. */
	refused(): string[];
	/** Closes the browser and deletes its profile. */
	close(): Promise<void>;
}

/** Requests to outside hosts are refused on purpose; the browser reports each one. */
function isBlockedOutsideRequest(text: string): boolean {
	return text.includes('net::ERR_BLOCKED_BY_CLIENT');
}

/**
 * @param userDataDir a fresh profile folder, deleted on close
 * @param allowedBaseUrls the only servers the browser may reach
 */
export async function openBrowser(userDataDir: string, allowedBaseUrls: string[]): Promise<LocalBrowser> {
	const executablePath = await ensureChromium(() => undefined);
	rmSync(userDataDir, { recursive: true, force: true });
	const allowed = [...allowedBaseUrls];
	const refused: string[] = [];
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath,
		args: CHROMIUM_FLAGS,
		viewport: { width: 1440, height: 900 },
		permissions: ['clipboard-read', 'clipboard-write'],
		timeout: UI_TIMEOUT_MS,
	});
	// Anything not served locally is refused, so the test never depends on the internet.
	await context.route(/.*/, (route) => {
		const url = route.request().url();
		if (allowed.some((baseUrl) => url.startsWith(baseUrl))) return route.continue();
		refused.push(url);
		return route.abort('blockedbyclient');
	});
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(UI_TIMEOUT_MS);
	const consoleErrors: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error' && !isBlockedOutsideRequest(message.text())) {
			consoleErrors.push(`${message.text()} ${message.location().url}`.trim());
		}
	});
	page.on('pageerror', (error) => consoleErrors.push(`Uncaught: ${error.message}`));
	return {
		context,
		page,
		allow: (baseUrl) => allowed.push(baseUrl),
		takeErrors: () => consoleErrors.splice(0, consoleErrors.length),
		refused: () => [...refused],
		close: async () => {
			await context.close();
			rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/** Signs in to the n8n at `baseUrl` as the local owner, through its sign-in page. */
export async function signIn(browser: LocalBrowser, baseUrl: string) {
	const { page } = browser;
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(LOCAL_OWNER.email);
	await page.locator('input[name="password"]').fill(LOCAL_OWNER.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((url) => !url.pathname.includes('signin'));
	// Before signing in, the page asks n8n who is signed in, and n8n's 401 is logged as an error.
	const unexpected = browser.takeErrors().filter((error) => !/401 \(Unauthorized\) \S+\/rest\/login$/.test(error));
	expect(unexpected).toEqual([]);
}
