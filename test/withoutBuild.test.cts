/**
 * `npm run test:unit` passes on a fresh clone, before any `npm run build`, as a new contributor
 * runs it. So the unit specs exercise the TypeScript source, and are kept from the build in a
 * checkout that has one too: a spec that needs it fails on every run, not only on a fresh clone.
 * jest.config.js sets this up with test/resolver.js and test/withoutBuild.js.
 */
import { existsSync, promises, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { pathToFileURL } from 'url';

import { registeredTriggers } from '../scripts/lib/registeredTriggers';

import { ROOT, triggersUnderTest } from './helpers/triggers.cjs';

const BUILD = join(ROOT, 'dist');
const WITHOUT_BUILD = 'the unit specs run without a build';

describe('a unit spec', () => {
	it('cannot read dist/, whether this checkout has been built or not', async () => {
		expect(() => existsSync(BUILD)).toThrow(`existsSync(${BUILD}): ${WITHOUT_BUILD}`);
		expect(() => readdirSync(join(BUILD, 'nodes'))).toThrow(WITHOUT_BUILD);
		expect(() => readFileSync('dist/nodes/catalogue.js')).toThrow(WITHOUT_BUILD);
		await expect(promises.readFile(pathToFileURL(join(BUILD, 'package.json')))).rejects.toThrow(WITHOUT_BUILD);
	});

	it('reads the rest of the checkout as usual, folders whose names start with "dist" included', () => {
		expect(existsSync(join(ROOT, 'package.json'))).toBe(true);
		expect(existsSync(join(ROOT, 'distant'))).toBe(false);
	});

	it('gets the TypeScript source when it, or a script it loads, requires a compiled module', () => {
		expect(require.resolve(join(BUILD, 'nodes', 'catalogue.js'))).toBe(join(ROOT, 'nodes', 'catalogue.ts'));
	});

	it('cannot require a file that only the build writes', () => {
		const codex = join(BUILD, 'nodes', 'AirudderTaskEndedTrigger', 'AirudderTaskEndedTrigger.node.json');
		expect(() => require.resolve(codex)).toThrow(`Cannot find module '${codex}'`);
	});
});

describe('the scripts, under jest', () => {
	it('find the very callback definitions the specs test, from the source', () => {
		const fromScripts = registeredTriggers().map(({ definition }) => definition);
		const fromSource = triggersUnderTest().map(({ definition }) => definition);
		expect(fromScripts).toHaveLength(fromSource.length);
		fromScripts.forEach((definition, index) => expect(definition).toBe(fromSource[index]));
	});
});
