import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import type { IDataObject, INodeType } from 'n8n-workflow';
import { basename, dirname, join } from 'path';

import type { CallbackDefinition } from '../../nodes/Airudder/vocabulary/definition';
import { isTriggerPath } from '../../scripts/lib/registeredTriggers';

export const ROOT = join(__dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/**
 * Set by `npm run fixtures`: the callbacks and columns specs then write the items each fixture
 * produces and each trigger's columns as the expected ones, for the contributor to review in the
 * diff, instead of comparing with them.
 */
export const WRITE_EXPECTED = process.env.AIRUDDER_WRITE_EXPECTED === '1';

/** The fields of every Invalid item, in order, as docs/field-reference.md documents them. */
export const INVALID_ITEM_COLUMNS = [
	'reason',
	'validationIssues',
	'stage',
	'callbackType',
	'receivedAt',
	'senderIp',
	'encrypted',
	'body',
	'decryptedBody',
	'rawBody',
	'rawBodyEncoding',
	'headers',
];

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

/**
 * The columns of a trigger's simplified items, reviewed in test/fixtures/<webhook path>/columns.expected.json,
 * which `npm run fixtures` writes from the output schema beside the expected items.
 */
export interface ExpectedColumns {
	/** Every column of every item, in order: the output schema's properties. */
	columns: string[];
	/** The guaranteed (core) fields' columns, which lead. */
	guaranteed: string[];
	/** The fields whose keys AIRudder chooses, each key a column <field>_<key> after the others. */
	columnPerKeyOf: string[];
}

const COLUMNS_FILE = `columns${EXPECTED_SUFFIX}`;

/** Writes the columns as the trigger's expected columns, and returns them as read back. */
export function writeExpectedColumns(webhookPath: string, columns: ExpectedColumns): ExpectedColumns {
	writeFileSync(join(FIXTURES, webhookPath, COLUMNS_FILE), `${JSON.stringify(columns, null, '\t')}\n`);
	return expectedColumnsOf(webhookPath);
}

export function expectedColumnsOf(webhookPath: string): ExpectedColumns {
	const file = join(FIXTURES, webhookPath, COLUMNS_FILE);
	// A new trigger has no expected columns until `npm run fixtures` writes them.
	if (WRITE_EXPECTED && !existsSync(file)) return { columns: [], guaranteed: [], columnPerKeyOf: [] };
	return JSON.parse(readFileSync(file, 'utf8'));
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
	expectedColumns: ExpectedColumns;
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
		return {
			className,
			node: new NodeClass(),
			definition,
			fixtures: fixturesOf(definition.webhookPath),
			expectedColumns: expectedColumnsOf(definition.webhookPath),
		};
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

/**
 * What items call the fields of AIRudder's payloads whose names n8n's expression sandbox refuses
 * (n8n 1.123.66+ and 2.30.7+ refuse "callee"), so that every column maps by drag and drop: a
 * phone number is callee_number, a whole contact (a Custom API node's push) is contact.
 */
export const ITEM_NAMES: Record<string, string> = { callee: 'callee_number' };
const ITEM_NAMES_OF_OBJECTS: Record<string, string> = { callee: 'contact' };

export const itemNameOf = (field: string, value?: unknown): string =>
	(typeof value === 'object' && value !== null && !Array.isArray(value) ? ITEM_NAMES_OF_OBJECTS : ITEM_NAMES)[field] ?? field;

/** A payload with its fields named as items name them, at every level. */
export function namedAsInItems<T>(value: T): T {
	if (Array.isArray(value)) return value.map(namedAsInItems) as T;
	if (typeof value !== 'object' || value === null) return value;
	return Object.fromEntries(Object.entries(value).map(([key, field]) => [itemNameOf(key, field), namedAsInItems(field)])) as T;
}
