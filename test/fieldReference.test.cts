import { readFileSync } from 'fs';
import { join } from 'path';

import { INVALID_ITEM_FIELDS } from '../nodes/Airudder/receive/invalidItem';
import { outputColumnsOf, outputSchemaOf } from '../nodes/Airudder/output/outputSchema';
import { operations } from '../nodes/AirudderAction/actions/operations';
import { renderFieldReference } from '../scripts/lib/fieldReference';

import { INVALID_ITEM_COLUMNS, packageJson, ROOT, triggersUnderTest } from './helpers/triggers.cjs';

describe('docs/field-reference.md', () => {
	const triggers = triggersUnderTest().map(({ definition, expectedColumns }) => ({
		definition,
		expectedColumns,
		nodeType: `${packageJson.name}.${definition.nodeName}`,
	}));
	const written = readFileSync(join(ROOT, 'docs', 'field-reference.md'), 'utf8');

	it('is what the current schemas give (run `npm run build` and commit it when this fails)', () => {
		expect(written).toBe(renderFieldReference(triggers, { outputSchemaOf, outputColumnsOf, INVALID_ITEM_FIELDS, operations }));
	});

	it('lists the expected columns of every trigger’s output in order, naming the guaranteed ones that lead', () => {
		for (const { definition, expectedColumns } of triggers) {
			const section = written.split(`## ${definition.displayName}\n`)[1].split('\n## ')[0];
			const listed = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]);
			expect(listed).toEqual(expectedColumns.columns);
			const guaranteed = /Guaranteed fields, which come first: (.*)\./.exec(section)?.[1] ?? '';
			expect(guaranteed).toBe(expectedColumns.guaranteed.map((column) => `\`${column}\``).join(', '));
		}
	});

	it('documents the Invalid output’s fields in the order every Invalid item has them', () => {
		const section = written.split('## The Invalid output (every trigger)\n')[1];
		const listed = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]);
		expect(listed).toEqual(INVALID_ITEM_COLUMNS);
	});

	it('says what every operation of the AIRudder node outputs', () => {
		const section = written.split('## The AIRudder node\n')[1];
		for (const { name, givesItemsOf } of operations) {
			expect(section).toMatch(new RegExp(`^\\| \\w+ \\| ${name} \\| .+ \\|$`, 'm'));
			if (givesItemsOf) expect(section).toContain(`The columns of [${givesItemsOf.displayName}]`);
		}
	});
});
