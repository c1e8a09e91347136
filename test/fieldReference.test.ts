import { readFileSync } from 'fs';
import { join } from 'path';

import { outputSchemaOf } from '../nodes/Airudder/outputSchema';
import { renderFieldReference } from '../scripts/lib/fieldReference';

import { packageJson, ROOT, triggersUnderTest } from './helpers/triggers';

describe('docs/field-reference.md', () => {
	const triggers = triggersUnderTest().map(({ definition }) => ({ definition, nodeType: `${packageJson.name}.${definition.nodeName}` }));
	const written = readFileSync(join(ROOT, 'docs', 'field-reference.md'), 'utf8');

	it('is what the current schemas give (run `npm run build` and commit it when this fails)', () => {
		expect(written).toBe(renderFieldReference(triggers, outputSchemaOf));
	});

	it('lists every column of every trigger’s output schema under the trigger’s heading', () => {
		for (const { definition } of triggers) {
			const section = written.split(`## ${definition.displayName}\n`)[1].split('\n## ')[0];
			for (const column of Object.keys(outputSchemaOf(definition).properties ?? {})) {
				expect(section).toContain(`| \`${column}\` |`);
			}
		}
	});
});
