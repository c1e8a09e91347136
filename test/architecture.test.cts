import { execFileSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import * as ts from 'typescript';

import { ROOT } from './helpers/triggers.cjs';

/**
 * The shape of the code, as rules between folders. Every file of nodes/ and credentials/ has a
 * role given by its folder, and may import only from the roles its rule names (and its own
 * folder). Read from the import statements, so a spec fails on the commit that breaks the shape,
 * a new file included: a folder without a role is itself a failure.
 */

type Role =
	| 'core: shared'
	| 'core: vocabulary'
	| 'core: receive'
	| 'core: output'
	| 'core: trigger'
	| 'catalogue'
	| 'trigger node'
	| 'AIRudder node'
	| 'AIRudder node: actions'
	| 'AIRudder node: transport'
	| 'AIRudder node: helpers'
	| 'credentials';

const CORE_ROLES: Role[] = ['core: shared', 'core: vocabulary', 'core: receive', 'core: output', 'core: trigger'];

/** What each role may import, besides its own role (a trigger node: its own folder). */
const MAY_IMPORT: Record<Role, Role[]> = {
	// values, limits, time and AIRudder's AES scheme: used by every part, importing none.
	'core: shared': [],
	// AIRudder's field groups, schemas, filter declarations and samples: what the definitions are made of.
	'core: vocabulary': ['core: shared'],
	// The security path: it checks and reads a callback without loading how items are shaped.
	'core: receive': ['core: shared', 'core: vocabulary'],
	// Items, columns, the output schema, filters, repeated deliveries, recordings.
	'core: output': ['core: shared', 'core: vocabulary'],
	// The n8n-facing trigger: parameters, texts, the webhook that joins receive and output.
	'core: trigger': ['core: shared', 'core: vocabulary', 'core: receive', 'core: output'],
	catalogue: ['core: vocabulary', 'trigger node'],
	// Only from the core; and only its own definition from its folder.
	'trigger node': CORE_ROLES,
	'AIRudder node': ['AIRudder node: actions', ...CORE_ROLES],
	// The AIRudder node reaches the triggers' definitions through the catalogue, never a trigger's folder.
	'AIRudder node: actions': ['AIRudder node: helpers', 'AIRudder node: transport', 'catalogue', ...CORE_ROLES],
	'AIRudder node: helpers': ['AIRudder node: transport', ...CORE_ROLES],
	// AIRudder answers with the headers and AES scheme of its callbacks, read the same way.
	'AIRudder node: transport': ['core: shared', 'core: receive'],
	credentials: ['AIRudder node: transport', 'catalogue', ...CORE_ROLES],
};

const CORE_FOLDERS: Record<string, Role> = {
	vocabulary: 'core: vocabulary',
	receive: 'core: receive',
	output: 'core: output',
	trigger: 'core: trigger',
};

const ACTION_FOLDERS: Record<string, Role> = {
	actions: 'AIRudder node: actions',
	transport: 'AIRudder node: transport',
	helpers: 'AIRudder node: helpers',
};

/** The role of a module (a path from the repository root, without extension); undefined: none. */
function roleOf(module: string): Role | undefined {
	const [top, folder, sub, ...rest] = module.split('/');
	if (top === 'credentials') return folder.endsWith('.credentials') && sub === undefined ? 'credentials' : undefined;
	if (top !== 'nodes') return undefined;
	if (folder === 'catalogue' && sub === undefined) return 'catalogue';
	if (folder === 'Airudder') return rest.length === 0 ? 'core: shared' : rest.length === 1 ? CORE_FOLDERS[sub] : undefined;
	if (folder === 'AirudderAction') return sub === 'AirudderAction.node' ? 'AIRudder node' : ACTION_FOLDERS[sub];
	if (/^Airudder\w+Trigger$/.test(folder) && rest.length === 0) return 'trigger node';
	return undefined;
}

/** The folder a module lives in, for "its own folder". */
const folderOf = (module: string) => module.slice(0, module.lastIndexOf('/'));

interface Module {
	module: string;
	imports: string[];
}

/**
 * Files the source of `file` loads from the package, as paths from the root: imports (type-only and
 * side-effect ones too), re-exports, require() and import() calls, and import() types, as
 * TypeScript's own scanner finds them.
 */
function importsIn(file: string, source: string): string[] {
	return ts
		.preProcessFile(source, true, true)
		.importedFiles.map(({ fileName }) => fileName)
		.filter((specifier) => specifier.startsWith('.'))
		.map((specifier) => relative(ROOT, resolve(dirname(file), specifier)));
}

function sourceFilesUnder(folder: string): string[] {
	return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.ts'))
		.map((file) => join(folder, file));
}

const modules: Module[] = ['nodes', 'credentials']
	.flatMap(sourceFilesUnder)
	.sort()
	.map((file) => ({ module: file.replace(/\.ts$/, ''), imports: importsIn(join(ROOT, file), readFileSync(join(ROOT, file), 'utf8')) }));

/** Each import that its folder rule forbids, as "importer -> imported". */
function violationsOf(checked: Module[]): string[] {
	return checked.flatMap(({ module, imports }) => {
		const role = roleOf(module);
		if (!role) return [`${module} has no role: put it in a folder the architecture names`];
		return imports
			.filter((imported) => {
				if (folderOf(imported) === folderOf(module)) return false;
				const importedRole = roleOf(imported);
				if (role === 'catalogue' && importedRole === 'trigger node') return !imported.endsWith('.callback');
				if (importedRole === role && role !== 'trigger node') return false;
				return !importedRole || !MAY_IMPORT[role].includes(importedRole);
			})
			.map((imported) => `${module} -> ${imported}`);
	});
}

/** Every module `start` loads, itself included. */
function closureOf(start: string): Set<string> {
	const byName = new Map(modules.map((entry) => [entry.module, entry.imports]));
	const seen = new Set<string>();
	const pending = [start];
	while (pending.length > 0) {
		const module = pending.pop()!;
		if (seen.has(module)) continue;
		seen.add(module);
		pending.push(...(byName.get(module) ?? []));
	}
	return seen;
}

describe('the folders of nodes/ and credentials/', () => {
	it('give every file a role', () => {
		expect(modules.filter(({ module }) => !roleOf(module)).map(({ module }) => module)).toEqual([]);
	});

	it('import only what their role may import', () => {
		expect(violationsOf(modules)).toEqual([]);
	});

	it('hold in the core no module that reaches itself through its imports', () => {
		const core = modules.filter(({ module }) => module.startsWith('nodes/Airudder/'));
		const cycles = core.filter(({ module, imports }) => imports.some((imported) => imported !== module && closureOf(imported).has(module)));
		expect(cycles.map(({ module }) => module)).toEqual([]);
	});

	it('hold in a trigger’s folder its node file and its callback definition only', () => {
		const triggerFolders = [...new Set(modules.filter(({ module }) => roleOf(module) === 'trigger node').map(({ module }) => folderOf(module)))];
		expect(triggerFolders.length).toBeGreaterThan(0);
		for (const folder of triggerFolders) {
			const className = folder.split('/')[1];
			const files = modules.filter(({ module }) => folderOf(module) === folder).map(({ module }) => module.slice(folder.length + 1));
			expect(files).toEqual(expect.arrayContaining([`${className}.node`]));
			expect(files.filter((file) => !file.endsWith('.callback') && file !== `${className}.node`)).toEqual([]);
		}
	});
});

describe('the folder rules', () => {
	const probe = (module: string, ...imports: string[]) => violationsOf([{ module, imports }]);

	it('keep the security path from loading the output', () => {
		expect(probe('nodes/Airudder/receive/newStage', 'nodes/Airudder/output/items')).toEqual([
			'nodes/Airudder/receive/newStage -> nodes/Airudder/output/items',
		]);
		expect(probe('nodes/Airudder/receive/newStage', 'nodes/Airudder/trigger/settings')).toHaveLength(1);
		expect(probe('nodes/Airudder/receive/newStage', 'nodes/Airudder/vocabulary/definition', 'nodes/Airudder/crypto')).toEqual([]);
	});

	it('keep the vocabulary to the shared files', () => {
		expect(probe('nodes/Airudder/vocabulary/newFields', 'nodes/Airudder/output/filters')).toHaveLength(1);
		expect(probe('nodes/Airudder/vocabulary/newFields', 'nodes/Airudder/values')).toEqual([]);
	});

	it('keep shared files from importing any folder', () => {
		expect(probe('nodes/Airudder/newShared', 'nodes/Airudder/vocabulary/definition')).toHaveLength(1);
	});

	it('keep a trigger’s folder to the core', () => {
		expect(probe('nodes/AirudderNewTrigger/AirudderNewTrigger.node', 'nodes/AirudderAction/transport/apiClient')).toHaveLength(1);
		expect(probe('nodes/AirudderNewTrigger/AirudderNewTrigger.node', 'nodes/catalogue')).toHaveLength(1);
		expect(probe('nodes/AirudderNewTrigger/AirudderNewTrigger.node', 'nodes/AirudderNewTrigger/new.callback', 'nodes/Airudder/trigger/airudderTrigger')).toEqual([]);
	});

	it('keep the AIRudder node out of the triggers’ folders: it reads their definitions through the catalogue', () => {
		expect(probe('nodes/AirudderAction/actions/task/new.operation', 'nodes/AirudderTaskEndedTrigger/taskEnded.callback')).toHaveLength(1);
		expect(probe('nodes/AirudderAction/actions/task/new.operation', 'nodes/catalogue')).toEqual([]);
		expect(probe('nodes/AirudderAction/transport/newClient', 'nodes/AirudderAction/helpers/callItems')).toHaveLength(1);
	});

	it('see an import made only for its side effects, and a type named by import()', () => {
		const newStage = 'nodes/Airudder/receive/newStage';
		const probeSource = (source: string) => violationsOf([{ module: newStage, imports: importsIn(join(ROOT, `${newStage}.ts`), source) }]);
		expect(probeSource("import '../output/items';\n")).toEqual(['nodes/Airudder/receive/newStage -> nodes/Airudder/output/items']);
		expect(probeSource("export type Options = import('../trigger/settings').Settings;\n")).toEqual([
			'nodes/Airudder/receive/newStage -> nodes/Airudder/trigger/settings',
		]);
		expect(probeSource("import '../crypto';\ntype Definition = import('../vocabulary/definition').CallbackDefinition;\n")).toEqual([]);
	});

	it('refuse a file in a folder without a role', () => {
		expect(probe('nodes/Airudder/misc/newThing')).toEqual(['nodes/Airudder/misc/newThing has no role: put it in a folder the architecture names']);
		expect(probe('nodes/shared')).toHaveLength(1);
	});

	it('let the security path load none of the output, through any chain of imports', () => {
		const securityPath = [...closureOf('nodes/Airudder/receive/pipeline')];
		expect(securityPath).toEqual(expect.arrayContaining(['nodes/Airudder/receive/stages', 'nodes/Airudder/crypto', 'nodes/Airudder/receive/signature']));
		expect(securityPath.filter((module) => /\/(output|trigger)\//.test(module))).toEqual([]);
	});
});

describe('docs/contributing.md’s layout', () => {
	const layout = readFileSync(join(ROOT, 'docs', 'contributing.md'), 'utf8').split('\n## Layout\n')[1].split('\n## ')[0];
	const described = [...layout.matchAll(/^- `([^`]+\/)`/gm)].map(([, folder]) => folder);

	/** The tree's folders as the layout names them: each trigger's folder as one pattern. */
	const folders = [
		...new Set(
			execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
				.split('\n')
				.filter((file) => file.includes('/'))
				.flatMap((file) => (file.startsWith('nodes/') ? [`${dirname(file)}/`, 'nodes/'] : [`${file.split('/')[0]}/`]))
				.map((folder) => folder.replace(/^nodes\/Airudder\w+Trigger\/$/, 'nodes/Airudder<Name>Trigger/')),
		),
	];

	it('has one line for every folder of the tree, and none for a folder that is gone', () => {
		expect([...described].sort()).toEqual([...folders].sort());
	});
});
