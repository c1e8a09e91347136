import { readdirSync, readFileSync } from 'fs';
import type { IDataObject, INodeType } from 'n8n-workflow';
import { basename, dirname, join } from 'path';

import type { CallbackDefinition } from '../../nodes/Airudder/definition';

export const ROOT = join(__dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

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
 * Every trigger registered in package.json, with its definition and the vendor payloads named
 * after its webhook path, so a new callback type is tested as soon as it is registered.
 */
export function triggersUnderTest(): TriggerUnderTest[] {
	const fixtureFiles = readdirSync(FIXTURES).filter((file) => file.endsWith('.json'));
	return (packageJson.n8n.nodes as string[]).map((distPath) => {
		const sourceDir = join(ROOT, dirname(distPath).replace(/^dist\//, ''));
		const className = basename(distPath, '.node.js');
		const definitionFile = readdirSync(sourceDir).find((file) => file.endsWith('.callback.ts'));
		if (!definitionFile) throw new Error(`${sourceDir} has no *.callback.ts definition`);
		const { definition } = require(join(sourceDir, definitionFile)) as { definition: CallbackDefinition };
		const NodeClass = require(join(sourceDir, `${className}.node.ts`))[className] as new () => INodeType;
		const fixtures = fixtureFiles
			.filter((file) => file.startsWith(definition.webhookPath))
			.map((file) => {
				const name = basename(file, '.json');
				return {
					name,
					body: readFileSync(join(FIXTURES, file), 'utf8'),
					expected: JSON.parse(readFileSync(join(FIXTURES, 'expected', `${name}.simplified.json`), 'utf8')),
				};
			});
		return { className, node: new NodeClass(), definition, fixtures };
	});
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
