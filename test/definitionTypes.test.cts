import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ts from 'typescript';

import { ROOT } from './helpers/triggers.cjs';

/**
 * A callback definition names fields of its schema in many places. Each name is checked by the
 * compiler against the schema, so a typo stops the build instead of being silently ignored. The
 * probe below is compiled with the package's own tsconfig, as `npm run build` compiles a definition.
 */

const CORE = join(ROOT, 'nodes', 'Airudder');

const HEADER = `
import { defineCallback } from ${JSON.stringify(join(CORE, 'vocabulary', 'definition'))};
import { requiredText, text, z } from ${JSON.stringify(join(CORE, 'vocabulary', 'schemaKit'))};
const call = z.looseObject({ call_id: requiredText('Call'), duration: text('Seconds'), result: z.looseObject({ label: text('Label') }) });
const schema = z.looseObject({ task_id: requiredText('Task'), created_at: text('Created'), robot_hash: text('Robot'), details: z.array(call) });
const base = { nodeName: 'probe', displayName: 'Probe', vendorName: { en: 'Probe', zh: 'Probe' }, description: 'Probe', webhookPath: 'probe', outputName: 'Calls', itemNoun: 'call', sample: {}, schema };
const split = { field: 'details', renameEnvelopeFields: { robot_hash: 'task_robot_hash' } } as const;
`;

/** Declarations that name only fields the schema has, each on its own line. */
const CORRECT = {
	'core fields of the payload': `defineCallback({ ...base, coreFields: ['task_id'] });`,
	'delivery keys of the call, the envelope and a renamed envelope field': `defineCallback({ ...base, split, deliveryKey: ['call_id', 'task_id', 'task_robot_hash'] });`,
	'time fields and summaries of nested columns': `defineCallback({ ...base, split, timeFields: { created_at: 'accountLocal', result_label: 'epoch' }, summaries: { details: () => '' } });`,
	'code labels and a timestamp field': `defineCallback({ ...base, split, codeLabels: { duration: { '0': 'none' } }, timestampField: 'created_at' });`,
};

/** The same declarations with one name misspelt. */
const MISSPELT = {
	'a core field': `defineCallback({ ...base, coreFields: ['taskid'] });`,
	'a delivery key': `defineCallback({ ...base, split, deliveryKey: ['callid'] });`,
	'a time field': `defineCallback({ ...base, split, timeFields: { created: 'accountLocal' } });`,
	'a nested column': `defineCallback({ ...base, split, timeFields: { result_labels: 'epoch' } });`,
	'a summary': `defineCallback({ ...base, split, summaries: { detail: () => '' } });`,
	'a code label': `defineCallback({ ...base, split, codeLabels: { durations: { '0': 'none' } } });`,
	'a timestamp field': `defineCallback({ ...base, split, timestampField: 'createdAt' });`,
	'the split field': `defineCallback({ ...base, split: { field: 'detail' } });`,
	'an envelope field to rename': `defineCallback({ ...base, split: { field: 'details', renameEnvelopeFields: { robot: 'task_robot' } } });`,
};

function compileErrorsByLine(): Map<number, string> {
	const folder = mkdtempSync(join(tmpdir(), 'definition-types-'));
	try {
		const probe = join(folder, 'probe.ts');
		const lines = [...Object.values(CORRECT), ...Object.values(MISSPELT)].map((line, index) => `export const probe${index} = ${line}`);
		writeFileSync(probe, `${HEADER}\n${lines.join('\n')}\n`);
		const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
		const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
		const program = ts.createProgram([probe], { ...options, noEmit: true, rootDir: undefined, outDir: undefined });
		const firstLine = HEADER.split('\n').length;
		const errors = new Map<number, string>();
		for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
			if (diagnostic.file?.fileName !== probe || diagnostic.start === undefined) {
				throw new Error(`Unexpected error: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
			}
			const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line - firstLine;
			errors.set(line, ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
		}
		return errors;
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}

describe('Callback definitions are checked against their schema when the package is built', () => {
	const errors = compileErrorsByLine();
	const correctCount = Object.keys(CORRECT).length;

	it.each(Object.keys(CORRECT).map((name, index) => [name, index] as const))('accepts %s', (_name, line) => {
		expect(errors.get(line)).toBeUndefined();
	});

	it.each(Object.keys(MISSPELT).map((name, index) => [name, correctCount + index] as const))(
		'refuses a misspelt %s',
		(_name, line) => {
			expect(errors.get(line)).toEqual(expect.any(String));
		},
	);
});
