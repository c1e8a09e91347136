import { existsSync, readFileSync } from 'fs';
import type { IDataObject } from 'n8n-workflow';
import { join } from 'path';

import { AirudderCallbackApi } from '../credentials/AirudderCallbackApi.credentials';
import type { CallbackDefinition } from '../nodes/Airudder/vocabulary/definition';
import { testCallbackCredential } from '../nodes/Airudder/receive/callbackCredential';
import { outputSchemaOf } from '../nodes/Airudder/output/outputSchema';
import { localTimeToIso } from '../nodes/Airudder/time';
import { codexOf } from '../scripts/lib/codex';
import { staleRegistryNotices } from '../scripts/lib/triggerLists';
import { expectedColumnsOf, packageJson, ROOT, triggersUnderTest } from './helpers/triggers.cjs';
import { deliver } from './helpers/webhook.cjs';

const triggers = triggersUnderTest();

/** Every string in `value` that holds a character of a CJK script, with where it sits. */
function textsOutsideEnglish(value: unknown, where = ''): string[] {
	if (typeof value === 'string') return /[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF00-\uFFEF]/u.test(value) ? [`${where}: ${value}`] : [];
	if (typeof value !== 'object' || value === null) return [];
	return Object.entries(value).flatMap(([key, inner]) => textsOutsideEnglish(inner, `${where}.${key}`));
}

describe('the package installs through n8n’s community-package installer', () => {
	it('has no runtime dependencies and only n8n-workflow as peer', () => {
		expect(packageJson.dependencies ?? {}).toEqual({});
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(packageJson.keywords).toContain('n8n-community-node-package');
	});

	it('pins the zod that n8n ships and imports its v4 entry point, present in every n8n from 1.100 on', () => {
		expect(packageJson.devDependencies.zod).toMatch(/^3\.25\.\d+$/);
	});

	it('registers the AIRudder node first, then every trigger from its own folder, and both credentials, under dist/', () => {
		expect(packageJson.n8n.credentials).toEqual(['dist/credentials/AirudderCallbackApi.credentials.js', 'dist/credentials/AirudderApi.credentials.js']);
		const [actionNode, ...triggers] = packageJson.n8n.nodes as string[];
		expect(actionNode).toBe('dist/nodes/AirudderAction/AirudderAction.node.js');
		for (const path of triggers) expect(path).toMatch(/^dist\/nodes\/(Airudder\w+Trigger)\/\1\.node\.js$/);
	});
});

describe('the lists of triggers: package.json, nodes/catalogue.ts and the README’s Nodes table', () => {
	it('are what npm run registries writes from the trigger folders in nodes/', () => {
		expect(staleRegistryNotices(ROOT)).toEqual([]);
	});
});

describe.each(triggers)('$className description', ({ className, node, definition, fixtures, expectedColumns }) => {
	const description = node.description;

	it('is named like an n8n trigger and matches its definition', () => {
		expect(description.name).toBe(definition.nodeName);
		expect(description.name.toLowerCase()).toBe(className.toLowerCase());
		expect(description.displayName).toMatch(/^AIRudder .+ Trigger$/);
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
	});

	it('has two outputs, the second named "Invalid"', () => {
		expect(description.outputs).toEqual(['main', 'main']);
		expect(description.outputNames).toEqual([definition.outputName, 'Invalid']);
	});

	it('answers at once and registers nothing with AIRudder', async () => {
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: definition.webhookPath },
		]);
		expect(await node.webhookMethods!.default!.checkExists!.call({} as never)).toBe(false);
		expect(await node.webhookMethods!.default!.delete!.call({} as never)).toBe(true);
	});

	it('asks n8n for the body unparsed, so an encrypted body sent as JSON is not refused before it arrives', () => {
		expect(description.version).toBe(1);
		const rawBodySwitch = description.properties.find((property) => property.name === 'options');
		expect(rawBodySwitch).toMatchObject({ type: 'hidden', default: { binaryData: true } });
	});

	it('tells the user which URL to give AIRudder, by AIRudder’s English callback name', () => {
		const notice = description.properties.find((property) => property.type === 'notice');
		expect(notice?.displayName).toContain('Production URL');
		expect(notice?.displayName).toContain(definition.vendorName.en);
	});

	it('speaks English only in the editor and in its codex, as n8n’s verification asks', () => {
		const codex = codexOf(`${packageJson.name}.${description.name}`, definition);
		expect(codex.alias).toContain(definition.vendorName.en);
		expect(textsOutsideEnglish({ description, codex })).toEqual([]);
	});

	it('uses themed icons that exist and a subtitle', () => {
		const icon = description.icon as { light: string; dark: string };
		for (const path of [icon.light, icon.dark]) {
			expect(existsSync(join(ROOT, 'nodes', className, path.replace('file:', '')))).toBe(true);
		}
		expect(icon.light).not.toBe(icon.dark);
		expect(description.subtitle).toBeTruthy();
	});

	it('is tested offline by the credential test it names', async () => {
		expect(description.credentials).toEqual([
			{ name: 'airudderCallbackApi', required: true, testedBy: 'airudderCallbackApiTest' },
		]);
		const test = (node.methods?.credentialTest as Record<string, (...args: unknown[]) => Promise<unknown>>)
			.airudderCallbackApiTest;
		await expect(test.call({}, { data: { aesSecretKey: 'airudderredduria', urlToken: 't0ken' } })).resolves.toEqual(
			expect.objectContaining({ status: 'OK' }),
		);
	});

	it('names in its output schema’s description the fields whose keys become columns', () => {
		const named = /Plus one column per key of (.+), named <field>_<key>\.$/.exec(outputSchemaOf(definition).description ?? '')?.[1].split(', ') ?? [];
		expect(named).toEqual(expectedColumns.columnPerKeyOf);
	});

	it('emits for its sample and its vendor payloads only the expected columns and those of its free-form fields', async () => {
		const { columns, columnPerKeyOf } = expectedColumns;
		const sampleItems = (await deliver(node, { body: JSON.stringify(definition.sample) })).main;
		const items = [...sampleItems, ...fixtures.flatMap(({ expected }) => expected as IDataObject[])];
		expect(sampleItems.length).toBeGreaterThan(0);
		for (const column of new Set(items.flatMap((item) => Object.keys(item)))) {
			const covered = columns.includes(column) || columnPerKeyOf.some((field) => column.startsWith(`${field}_`));
			expect({ column, covered }).toEqual({ column, covered: true });
		}
	});
});

describe('callbacks that carry a timestamp', () => {
	const stamped = triggers.filter(({ definition }) => definition.timestampField);

	it('are some of the triggers, neither none nor all', () => {
		expect(stamped.length).toBeGreaterThan(0);
		expect(stamped.length).toBeLessThan(triggers.length);
	});

	it.each(stamped)('$className declares its timestamp field as one of the expected columns', ({ definition, expectedColumns }) => {
		expect(expectedColumns.columns).toContain(definition.timestampField);
	});
});

describe('README, the front door', () => {
	const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
	const lines = readme.split('\n');

	it('stays within 22 KB, with deep material in docs/', () => {
		expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(22_000);
	});

	it('gives the two set-up commands, run it locally and run the tests, within its first 60 lines', () => {
		const quickStart = lines.slice(0, 60).join('\n');
		expect(quickStart).toContain('## Quick start');
		expect(quickStart).toContain('npm install && npm start');
		expect(quickStart).toContain('npm install && npm test');
	});

	it('names the test command that CI runs, after the same install', () => {
		const ciLines = readFileSync(join(ROOT, '.ci', 'run'), 'utf8').split('\n');
		const install = ciLines.indexOf('npm install --no-audit --no-fund');
		expect(install).toBeGreaterThanOrEqual(0);
		expect(ciLines.indexOf('npm test')).toBeGreaterThan(install);
	});
});

describe('README node table', () => {
	const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
	const rows = readme.split('\n').filter((line) => line.startsWith('| ') && line.includes('` |'));

	const rowOf = (definition: CallbackDefinition) => rows.find((line) => line.endsWith(`| \`/${definition.webhookPath}\` |`));
	const inferred = triggers.filter(({ definition }) => definition.inferred);

	it.each(triggers)('lists $className with AIRudder’s English and Chinese name and its URL path', ({ definition }) => {
		const row = rowOf(definition);
		expect(row).toBeDefined();
		expect(row).toContain(`${definition.vendorName.en} / ${definition.vendorName.zh}`);
		expect(row).toContain(definition.itemNoun);
	});

	it('has triggers whose body AIRudder has not published', () => {
		expect(inferred.length).toBeGreaterThan(0);
	});

	it.each(inferred)('lists the guaranteed fields of $className, whose body is inferred', ({ definition }) => {
		const { guaranteed } = expectedColumnsOf(definition.webhookPath);
		expect(guaranteed.length).toBeGreaterThan(0);
		for (const column of guaranteed) expect(rowOf(definition)).toContain(`\`${column}\``);
	});
});

describe('credential "AIRudder Callback API"', () => {
	const credential = new AirudderCallbackApi();

	it('speaks English only', () => {
		expect(textsOutsideEnglish(credential)).toEqual([]);
	});

	it('explains every field in plain words', () => {
		for (const property of credential.properties.filter((field) => field.type !== 'notice')) {
			expect(property.description).toBeTruthy();
		}
	});

	it('names in Replay Window exactly the triggers whose callbacks carry a timestamp, and says the others ignore it', () => {
		const description = credential.properties.find((field) => field.name === 'replayWindowSeconds')!.description!;
		const list = /so only they check it: (.*)\. Every other trigger ignores this setting\.$/.exec(description)![1];
		const stamped = triggers.filter(({ definition }) => definition.timestampField);
		const shortName = ({ definition }: { definition: CallbackDefinition }) => definition.displayName.replace(/^AIRudder | Trigger$/g, '');
		expect(list.split(/, | and /).sort()).toEqual(stamped.map(shortName).sort());
	});

	it('hides the secrets it stores', () => {
		const secretFields = ['signingSecret', 'aesSecretKey', 'urlToken'];
		for (const name of secretFields) {
			expect(credential.properties.find((field) => field.name === name)?.typeOptions?.password).toBe(true);
		}
	});

	it.each([
		[{}, 'Error', /check neither a URL Token nor a Signature, so a published trigger refuses every callback unless its Allowed IP Addresses/],
		[{ aesSecretKey: 'airudderredduria' }, 'Error', /Set a URL Token or a Signature in the trigger's AIRudder Callback API credential, or list AIRudder's addresses/],
		[{ urlToken: 't0ken' }, 'OK', /valid/],
		[{ urlToken: 't0ken', aesSecretKey: 'airudderredduria' }, 'OK', /valid/],
		[{ signatureScheme: 'sha256Hex' }, 'OK', /valid/],
		[{ signatureScheme: 'hmacSha256Hex', signingSecret: 'shh', aesSecretKey: 'x'.repeat(32) }, 'OK', /valid/],
		[{ aesSecretKey: 'x'.repeat(20) }, 'Error', /20 bytes long; it must be exactly 16, 24 or 32/],
		[{ signatureScheme: 'hmacSha256Base64' }, 'Error', /needs a Signing Key/],
	])('tests %j offline as %s', (data, status, message) => {
		const result = testCallbackCredential(data);
		expect(result.status).toBe(status);
		expect(result.message).toMatch(message);
	});
});

describe('time zones', () => {
	it('applies daylight saving time for the date of the call', () => {
		expect(localTimeToIso('2024-01-15 09:00:00', 'America/New_York')).toBe('2024-01-15T09:00:00-05:00');
		expect(localTimeToIso('2024-07-15 09:00:00', 'America/New_York')).toBe('2024-07-15T09:00:00-04:00');
		expect(localTimeToIso('2024-03-11 13:19:52', 'Asia/Kolkata')).toBe('2024-03-11T13:19:52+05:30');
	});

	it('stays exact inside an hour in which the offset changes, whatever time of that hour comes first', () => {
		// Lord Howe moves from +10:30 to +11:00 at 02:00, which becomes 02:30.
		expect(localTimeToIso('2024-10-06 02:45:00', 'Australia/Lord_Howe')).toBe('2024-10-06T02:45:00+11:00');
		expect(localTimeToIso('2024-10-06 01:50:00', 'Australia/Lord_Howe')).toBe('2024-10-06T01:50:00+10:30');
		expect(localTimeToIso('2024-03-10 01:59:59', 'America/New_York')).toBe('2024-03-10T01:59:59-05:00');
		expect(localTimeToIso('2024-03-10 03:00:00', 'America/New_York')).toBe('2024-03-10T03:00:00-04:00');
	});

	it('gives no ISO twin for values that are not AIRudder local times', () => {
		for (const value of ['', '-', null, 42, '2024-03-11T13:19:52Z']) expect(localTimeToIso(value, 'UTC')).toBeNull();
		expect(localTimeToIso('2024-03-11 13:19:52', 'Not/AZone')).toBeNull();
	});
});
