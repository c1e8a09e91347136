import { type SpawnSyncReturns, spawnSync } from 'child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ts from 'typescript';

import { callbackNames, nodeFile, scaffoldCallback } from '../scripts/lib/scaffold';
import { staleRegistryNotices } from '../scripts/lib/triggerLists';

import { FIXTURES, packageJson, ROOT, triggersUnderTest } from './helpers/triggers.cjs';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const triggers = triggersUnderTest();

/** "AirudderTaskCallEndedTrigger" → "Task Call Ended" */
const titleOf = (className: string) =>
	className
		.replace(/^Airudder|Trigger$/g, '')
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');

describe('Adding a callback type: the README checklist holds for every registered trigger', () => {
	const readme = read('README.md');
	const fieldReference = read('docs/field-reference.md');

	it('names each step’s command in the README', () => {
		const checklist = readme.slice(readme.indexOf('**Adding a callback type**'), readme.indexOf('## License'));
		for (const step of ['npm run new-callback', 'npm run registries', 'test/fixtures/', 'npm run fixtures', 'npm run build']) {
			expect(checklist).toContain(step);
		}
	});

	it.each(triggers)('$className is documented and has fixtures, each with its expected items', ({ definition, fixtures }) => {
		expect(fieldReference).toContain(definition.displayName);
		expect(fixtures.length).toBeGreaterThan(0);
		for (const { name } of fixtures) expect(existsSync(join(FIXTURES, `${name}.expected.json`))).toBe(true);
	});

	it.each(triggers)('$className’s node file is exactly what npm run new-callback writes', ({ className, definition }) => {
		const names = callbackNames(titleOf(className));
		expect(names.className).toBe(className);
		expect(names.nodeName).toBe(definition.nodeName);
		expect(read(`nodes/${className}/${className}.node.ts`)).toBe(nodeFile(names));
	});
});

describe('npm run new-callback', () => {
	const names = callbackNames('Task Paused');

	it('names the node, its type, its definition and its URL from the words given', () => {
		expect(names).toEqual({
			title: 'Task Paused',
			className: 'AirudderTaskPausedTrigger',
			nodeName: 'airudderTaskPausedTrigger',
			definitionName: 'taskPaused',
			webhookPath: 'task-paused',
		});
	});

	it('writes the definition, the node file and a fixture its sample matches, nothing else', () => {
		const files = scaffoldCallback(names);
		expect(Object.keys(files).sort()).toEqual([
			'nodes/AirudderTaskPausedTrigger/AirudderTaskPausedTrigger.node.ts',
			'nodes/AirudderTaskPausedTrigger/taskPaused.callback.ts',
			'test/fixtures/task-paused/example.json',
		]);
		expect(JSON.parse(files['test/fixtures/task-paused/example.json'])).toEqual({ id: 'taskPaused-0001', status: 'finished' });
		expect(files['nodes/AirudderTaskPausedTrigger/taskPaused.callback.ts']).toContain("sample: { id: 'taskPaused-0001', status: 'finished' }");
	});

	describe('run in a copy of the repository', () => {
		let project: string;
		let run: SpawnSyncReturns<string>;
		const written = (file: string) => readFileSync(join(project, file), 'utf8');

		beforeAll(() => {
			project = mkdtempSync(join(tmpdir(), 'new-callback-'));
			for (const entry of ['nodes', 'credentials', 'scripts', 'tsconfig.json', 'package.json', 'README.md']) {
				cpSync(join(ROOT, entry), join(project, entry), { recursive: true });
			}
			symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
			run = spawnSync(process.execPath, ['scripts/newCallback.js', 'Task Paused'], { cwd: project, encoding: 'utf8' });
		});
		afterAll(() => rmSync(project, { recursive: true, force: true }));

		it('succeeds and says what is left to fill in', () => {
			expect(run.stderr).toBe('');
			expect(run.status).toBe(0);
			expect(run.stdout).toContain('AirudderTaskPausedTrigger is registered and builds.');
		});

		it('registers the node after the others and touches nothing else in package.json', () => {
			const packageWritten = JSON.parse(written('package.json'));
			expect(packageWritten.n8n.nodes).toEqual([...packageJson.n8n.nodes, 'dist/nodes/AirudderTaskPausedTrigger/AirudderTaskPausedTrigger.node.js']);
			expect({ ...packageWritten, n8n: packageJson.n8n }).toEqual(packageJson);
		});

		it('adds the definition to the catalogue and a row to the README’s Nodes table', () => {
			expect(written('nodes/catalogue.ts')).toContain("import { definition as taskPaused } from './AirudderTaskPausedTrigger/taskPaused.callback';");
			expect(written('nodes/catalogue.ts')).toMatch(/\ttaskPaused,\n\];/);
			const rows = written('README.md').split('\n').filter((line) => line.endsWith('` |') && line.includes('| `/'));
			expect(rows.at(-1)).toBe(
				'| Task Paused | Task Paused / Task Paused | AIRudder reports task paused. Inferred; guaranteed: `id`. | item | `/task-paused` |',
			);
		});

		it('leaves the registries as npm run registries would write them', () => {
			expect(staleRegistryNotices(project)).toEqual([]);
		});

		it('refuses a callback type the package already has', () => {
			const again = spawnSync(process.execPath, ['scripts/newCallback.js', 'Task Paused'], { cwd: project, encoding: 'utf8' });
			expect(again.status).toBe(2);
			expect(again.stderr).toContain('nodes/AirudderTaskPausedTrigger already exists.');
		});

		it('writes a definition and node that compile', () => {
			const config = ts.readConfigFile(join(project, 'tsconfig.json'), ts.sys.readFile);
			const { options, fileNames } = ts.parseJsonConfigFileContent(config.config, ts.sys, project);
			const program = ts.createProgram(fileNames, { ...options, noEmit: true });
			const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
			expect(errors).toEqual([]);
			expect(fileNames).toContain(join(project, 'nodes/AirudderTaskPausedTrigger/taskPaused.callback.ts'));
		}, 120_000);
	});
});
