import { readFileSync } from 'fs';
import { join } from 'path';

import { checkTarballContents, MAX_PACKED_BYTES } from '../scripts/scan';
import { ROOT } from './helpers/triggers.cjs';

const SHIPPED = [
	'package.json',
	'README.md',
	'LICENSE',
	'dist/credentials/AirudderCallbackApi.credentials.js',
	'dist/nodes/Airudder/receive/pipeline.js',
	'dist/nodes/AirudderTaskEndedTrigger/AirudderTaskEndedTrigger.node.js',
	'dist/nodes/AirudderTaskEndedTrigger/taskEnded.callback.js',
	'dist/nodes/AirudderTaskEndedTrigger/AirudderTaskEndedTrigger.node.json',
	'dist/nodes/AirudderTaskEndedTrigger/__schema__/v1.0.0.json',
	'dist/nodes/AirudderTaskEndedTrigger/__schema__/v1.0.0/output.json',
	'dist/icons/airudder.svg',
	'dist/icons/airudder.dark.svg',
];

describe('npm run scan: the packed tarball holds only what n8n loads', () => {
	it('accepts compiled code, codex files, output schemas and icons, plus npm’s own files', () => {
		const result = checkTarballContents(SHIPPED, 60 * 1024);
		expect(result).toMatchObject({ passed: true, details: '' });
		expect(result.summary).toBe(`12 files, 60.0 kB packed (limit ${MAX_PACKED_BYTES / 1024} kB)`);
	});

	it.each([
		'dist/nodes/Airudder/receive/pipeline.d.ts',
		'dist/nodes/Airudder/receive/pipeline.js.map',
		'nodes/Airudder/receive/pipeline.ts',
		'test/package.test.cts',
		'test/fixtures/task-ended/example.json',
		'docs/screenshots/credential.png',
		'dist/docs/screenshots/credential.png',
		'dist/nodes/AirudderTaskEndedTrigger/Other.node.json',
	])('refuses %s and says how to keep it out', (file) => {
		const result = checkTarballContents([...SHIPPED, file], 60 * 1024);
		expect(result.passed).toBe(false);
		expect(result.details).toBe(`${file} is not something n8n loads; keep it out of "files" in package.json`);
	});

	it('refuses a tarball over the size the README states', () => {
		const result = checkTarballContents(SHIPPED, MAX_PACKED_BYTES + 1);
		expect(result.passed).toBe(false);
		expect(result.details).toMatch(/over the \d+ kB that README\.md states$/);
		const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
		expect(readme).toContain(`under ${MAX_PACKED_BYTES / 1024} kB packed`);
	});
});
