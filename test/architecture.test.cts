import { readdirSync, readFileSync } from 'fs';
import { join, relative, resolve } from 'path';

import { ROOT } from './helpers/triggers.cjs';

/**
 * The shape of the code: the core (nodes/Airudder) imports downward only, the security path does
 * not load the output layer, and a node folder imports from the core, itself and the catalogue
 * only (the AIRudder node's operations name the trigger whose items they give). The AIRudder node
 * file sits in the core folder, as n8n's lint wants its folder named after it. Read from the
 * import statements, so a spec fails on the commit that breaks the shape.
 */

const NODES = join(ROOT, 'nodes');
const CORE = join(NODES, 'Airudder');

/** Files this file imports or re-exports from the package, as paths relative to nodes/ (type-only too). */
function importsOf(file: string): string[] {
	const source = readFileSync(file, 'utf8');
	return [...source.matchAll(/^(?:import|export) [^;]*? from '(\.{1,2}\/[^']+)';|require\('(\.{1,2}\/[^']+)'\)/gms)].map(([, specifier, required]) =>
		relative(NODES, resolve(join(file, '..'), specifier ?? required)),
	);
}

function coreFiles(): string[] {
	return readdirSync(CORE)
		.filter((file) => file.endsWith('.ts'))
		.map((file) => `Airudder/${file.replace(/\.ts$/, '')}`);
}

/** Every core module `start` loads, itself included. */
function closureOf(start: string): Set<string> {
	const seen = new Set<string>();
	const pending = [start];
	while (pending.length > 0) {
		const module = pending.pop()!;
		if (seen.has(module)) continue;
		seen.add(module);
		pending.push(...importsOf(join(NODES, `${module}.ts`)));
	}
	return seen;
}

/** The modules that turn a payload into items and describe them to the editor and the docs. */
const OUTPUT_LAYER = ['Airudder/items', 'Airudder/outputSchema', 'Airudder/columns', 'Airudder/text', 'Airudder/chatText'];

describe('the core', () => {
	it('has the output layer this spec names', () => {
		expect(coreFiles()).toEqual(expect.arrayContaining(OUTPUT_LAYER));
	});

	it('imports downward only: no module reaches itself through its imports', () => {
		const cycles = coreFiles().filter((module) =>
			importsOf(join(NODES, `${module}.ts`)).some((imported) => closureOf(imported).has(module)),
		);
		expect(cycles).toEqual([]);
	});

	it('checks and reads a callback without loading the output layer', () => {
		const securityPath = closureOf('Airudder/receive');
		expect([...securityPath]).toEqual(expect.arrayContaining(['Airudder/stages', 'Airudder/crypto', 'Airudder/signature']));
		expect(OUTPUT_LAYER.filter((module) => securityPath.has(module))).toEqual([]);
	});
});

describe('node folders', () => {
	const folders = readdirSync(NODES, { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && entry.name !== 'Airudder')
		.map((entry) => entry.name);

	it.each(folders)('%s imports from the core, from itself and from the catalogue only', (folder) => {
		const files = readdirSync(join(NODES, folder)).filter((file) => file.endsWith('.ts'));
		const outside = files
			.flatMap((file) => importsOf(join(NODES, folder, file)))
			.filter((imported) => !imported.startsWith('Airudder/') && !imported.startsWith(`${folder}/`) && imported !== 'catalogue');
		expect(files.length).toBeGreaterThan(0);
		expect(outside).toEqual([]);
	});
});
