import { readFileSync } from 'fs';
import { join } from 'path';

import { outputSchemaOf } from '../nodes/Airudder/outputSchema';
import { INVALID_FIELDS, renderFieldReference } from '../scripts/lib/fieldReference';

import { packageJson, ROOT, triggersUnderTest } from './helpers/triggers.cjs';
import { deliver } from './helpers/webhook.cjs';

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

	it('documents exactly the fields an Invalid item carries, whether it failed to parse or to validate', async () => {
		const [{ node }] = triggersUnderTest();
		const unparsable = (await deliver(node, { body: '{"truncated": ' })).invalid[0];
		const mistyped = (await deliver(node, { body: '[1, 2]' })).invalid[0];
		const carried = new Set([...Object.keys(unparsable), ...Object.keys(mistyped)]);
		expect([...carried].sort()).toEqual(INVALID_FIELDS.map(([field]) => field).sort());
	});
});
