import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import type { IDataObject, INodeType } from 'n8n-workflow';
import { basename, dirname, join } from 'path';

import type { CallbackDefinition } from '../../nodes/Airudder/vocabulary/definition';
import { isTriggerPath } from '../../scripts/lib/registeredTriggers';

export const ROOT = join(__dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/**
 * Set by `npm run fixtures`: the callbacks spec then writes the items each fixture produces as its
 * expected items, for the contributor to review in the diff, instead of comparing with them.
 */
export const WRITE_EXPECTED = process.env.AIRUDDER_WRITE_EXPECTED === '1';

const PAYLOAD_SUFFIX = '.json';
const EXPECTED_SUFFIX = '.expected.json';

/** A fixture is named by its callback type's folder and its case: `predictive-dialer-status/agent-status`. */
function expectedItemsFile(fixtureName: string): string {
	return join(FIXTURES, `${fixtureName}${EXPECTED_SUFFIX}`);
}

/** Writes the items as the fixture's expected items, and returns them as read back. */
export function writeExpectedItems(fixtureName: string, items: unknown[]): unknown[] {
	writeFileSync(expectedItemsFile(fixtureName), `${JSON.stringify(items, null, '\t')}\n`);
	return JSON.parse(readFileSync(expectedItemsFile(fixtureName), 'utf8'));
}

/**
 * The vendor payloads in the callback type's folder, test/fixtures/<webhook path>/, each with the
 * items expected from it beside it (<case>.expected.json).
 */
function fixturesOf(webhookPath: string): Fixture[] {
	const folder = join(FIXTURES, webhookPath);
	if (!existsSync(folder)) return [];
	return readdirSync(folder)
		.filter((file) => file.endsWith(PAYLOAD_SUFFIX) && !file.endsWith(EXPECTED_SUFFIX))
		.map((file) => {
			const name = `${webhookPath}/${basename(file, PAYLOAD_SUFFIX)}`;
			const expectedFile = expectedItemsFile(name);
			return {
				name,
				body: readFileSync(join(folder, file), 'utf8'),
				// A new fixture has no expected items until `npm run fixtures` writes them.
				expected: WRITE_EXPECTED && !existsSync(expectedFile) ? [] : JSON.parse(readFileSync(expectedFile, 'utf8')),
			};
		});
}

export interface Fixture {
	name: string;
	body: string;
	/** The exact items expected on the main output with the default settings. */
	expected: unknown[];
}

export interface TriggerUnderTest {
	className: string;
	node: INodeType;
	definition: CallbackDefinition;
	fixtures: Fixture[];
}

/**
 * Every trigger registered in package.json, with its definition and the vendor payloads in its
 * fixture folder, so a new callback type is tested as soon as it is registered.
 */
export function triggersUnderTest(): TriggerUnderTest[] {
	return (packageJson.n8n.nodes as string[]).filter(isTriggerPath).map((distPath) => {
		const sourceDir = join(ROOT, dirname(distPath).replace(/^dist\//, ''));
		const className = basename(distPath, '.node.js');
		const definitionFile = readdirSync(sourceDir).find((file) => file.endsWith('.callback.ts'));
		if (!definitionFile) throw new Error(`${sourceDir} has no *.callback.ts definition`);
		const { definition } = require(join(sourceDir, definitionFile)) as { definition: CallbackDefinition };
		const NodeClass = require(join(sourceDir, `${className}.node.ts`))[className] as new () => INodeType;
		return { className, node: new NodeClass(), definition, fixtures: fixturesOf(definition.webhookPath) };
	});
}

let registered: TriggerUnderTest[] | undefined;

/**
 * The one way a spec picks a particular trigger: by its node class, the name package.json
 * registers. Throws, naming the class, when no such trigger is registered.
 */
export function triggerByClass(className: string): TriggerUnderTest {
	registered ??= triggersUnderTest();
	const trigger = registered.find((candidate) => candidate.className === className);
	if (!trigger) throw new Error(`No trigger ${className} is registered in package.json`);
	return trigger;
}

/**
 * The definition's sample stamped with `timestamp` where the definition says AIRudder puts it:
 * in the wrapped object, for a wrapped callback.
 */
export function sampleStampedAt(definition: CallbackDefinition, timestamp: number): IDataObject {
	const field = definition.timestampField;
	if (!field) throw new Error(`${definition.displayName} carries no timestamp`);
	const { sample } = definition;
	if (!definition.unwrap) return { ...sample, [field]: timestamp };
	const wrapper = definition.unwrap.field;
	return { ...sample, [wrapper]: { ...(sample[wrapper] as IDataObject), [field]: timestamp } };
}
