import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import * as ts from 'typescript';

import { callbackNames, nodeFile, scaffoldCallback } from '../scripts/lib/scaffold';

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
	const catalogue = read('nodes/catalogue.ts');
	const fieldReference = read('docs/field-reference.md');

	it('names each step’s command in the README', () => {
		const checklist = readme.slice(readme.indexOf('**Adding a callback type**'), readme.indexOf('## License'));
		for (const step of ['npm run new-callback', 'package.json', 'nodes/catalogue.ts', 'test/fixtures/', 'npm run fixtures', 'npm run build']) {
			expect(checklist).toContain(step);
		}
	});

	it.each(triggers)('$className is registered, catalogued, documented and has its fixtures', ({ className, definition, fixtures }) => {
		const folder = `nodes/${className}`;
		expect(packageJson.n8n.nodes).toContain(`dist/${folder}/${className}.node.js`);
		expect(catalogue).toContain(`from './${className}/`);
		expect(readme).toContain(`| \`/${definition.webhookPath}\` |`);
		expect(fieldReference).toContain(definition.displayName);
		expect(fixtures.length).toBeGreaterThan(0);
		for (const { name } of fixtures) expect(existsSync(join(FIXTURES, 'expected', `${name}.simplified.json`))).toBe(true);
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
	const files = scaffoldCallback(names, { packageJson: read('package.json'), catalogue: read('nodes/catalogue.ts'), readme: read('README.md') });

	it('names the node, its type, its definition and its URL from the words given', () => {
		expect(names).toEqual({
			title: 'Task Paused',
			className: 'AirudderTaskPausedTrigger',
			nodeName: 'airudderTaskPausedTrigger',
			definitionName: 'taskPaused',
			webhookPath: 'task-paused',
		});
	});

	it('registers the node after the others and touches nothing else in package.json', () => {
		const written = JSON.parse(files['package.json']);
		expect(written.n8n.nodes).toEqual([...packageJson.n8n.nodes, 'dist/nodes/AirudderTaskPausedTrigger/AirudderTaskPausedTrigger.node.js']);
		expect({ ...written, n8n: packageJson.n8n }).toEqual(packageJson);
	});

	it('adds the definition to the catalogue and a row to the README’s Nodes table', () => {
		expect(files['nodes/catalogue.ts']).toContain("import { definition as taskPaused } from './AirudderTaskPausedTrigger/taskPaused.callback';");
		expect(files['nodes/catalogue.ts']).toMatch(/\ttaskPaused,\n\];/);
		const rows = files['README.md'].split('\n').filter((line) => line.endsWith('` |') && line.includes('| `/'));
		expect(rows.at(-1)).toContain('| `/task-paused` |');
	});

	it('writes a definition and node that compile, with a fixture its sample matches', () => {
		const project = mkdtempSync(join(tmpdir(), 'new-callback-'));
		try {
			for (const entry of ['nodes', 'credentials', 'tsconfig.json']) cpSync(join(ROOT, entry), join(project, entry), { recursive: true });
			symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
			for (const [file, text] of Object.entries(files)) {
				mkdirSync(dirname(join(project, file)), { recursive: true });
				writeFileSync(join(project, file), text);
			}
			const config = ts.readConfigFile(join(project, 'tsconfig.json'), ts.sys.readFile);
			const { options, fileNames } = ts.parseJsonConfigFileContent(config.config, ts.sys, project);
			const program = ts.createProgram(fileNames, { ...options, noEmit: true });
			const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
			expect(errors).toEqual([]);
			expect(fileNames).toContain(join(project, 'nodes/AirudderTaskPausedTrigger/taskPaused.callback.ts'));
			expect(JSON.parse(files['test/fixtures/task-paused.json'])).toEqual({ id: 'taskPaused-0001', status: 'finished' });
			expect(files['nodes/AirudderTaskPausedTrigger/taskPaused.callback.ts']).toContain("sample: { id: 'taskPaused-0001', status: 'finished' }");
		} finally {
			rmSync(project, { recursive: true, force: true });
		}
	}, 120_000);
});
