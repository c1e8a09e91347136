// @ts-check
/**
 * What `npm run new-callback` writes for a new callback type, as pure functions of the name and
 * the files it edits, so a spec can check them without touching the repository.
 */

/**
 * @typedef {object} CallbackNames
 * @property {string} title          e.g. "Task Paused"
 * @property {string} className      e.g. "AirudderTaskPausedTrigger"
 * @property {string} nodeName       e.g. "airudderTaskPausedTrigger"
 * @property {string} definitionName e.g. "taskPaused"
 * @property {string} webhookPath    e.g. "task-paused"
 */

/**
 * @param {string} title words naming the callback, e.g. "Task Paused"
 * @returns {CallbackNames}
 */
function callbackNames(title) {
	const words = title.trim().split(/[^A-Za-z0-9]+/).filter(Boolean);
	if (words.length === 0) throw new Error('Name the callback in words, e.g. "Task Paused".');
	const pascal = words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
	return {
		title: words.join(' '),
		className: `Airudder${pascal}Trigger`,
		nodeName: `airudder${pascal}Trigger`,
		definitionName: pascal[0].toLowerCase() + pascal.slice(1),
		webhookPath: words.map((word) => word.toLowerCase()).join('-'),
	};
}

/** @param {CallbackNames} names */
function nodeFile(names) {
	return `import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { triggerDescription, triggerSubtitle } from '../Airudder/description';
import { airudderTrigger } from '../Airudder/trigger';
import { definition } from './${names.definitionName}.callback';

export class ${names.className} extends airudderTrigger(definition) implements INodeType {
	description: INodeTypeDescription = {
		...triggerDescription(definition),
		icon: { light: 'file:../../icons/airudder.svg', dark: 'file:../../icons/airudder.dark.svg' },
		subtitle: triggerSubtitle(definition),
		credentials: [{ name: 'airudderCallbackApi', required: true, testedBy: 'airudderCallbackApiTest' }],
	};
}
`;
}

/**
 * The starting payload, both the definition's sample and the first vendor fixture, until the
 * contributor replaces it with AIRudder's documented example.
 * @param {CallbackNames} names
 */
function starterSample(names) {
	return { id: `${names.definitionName}-0001`, status: 'finished' };
}

/**
 * A definition that builds and passes every spec as it is, for the contributor to fill in from
 * AIRudder's documentation: the schema, the sample, the texts.
 * @param {CallbackNames} names
 */
function definitionFile(names) {
	const sample = starterSample(names);
	return `import { defineCallback } from '../Airudder/definition';
import { requiredText, text, z } from '../Airudder/schemaKit';

// Fill in from AIRudder's page for this callback: every field it documents, with its meaning.
const schema = z.looseObject({
	id: requiredText('Unique id of the ${names.title.toLowerCase()}'),
	status: text('Status'),
});

export const definition = defineCallback({
	nodeName: '${names.nodeName}',
	displayName: 'AIRudder ${names.title} Trigger',
	vendorName: { en: '${names.title}', zh: '${names.title}' },
	description: 'Starts the workflow when AIRudder reports ${names.title.toLowerCase()}',
	webhookPath: '${names.webhookPath}',
	deliveryKey: ['id', 'status'],
	outputName: 'Items',
	itemNoun: 'item',
	schema,
	inferred: true,
	coreFields: ['id'],
	sample: { id: '${sample.id}', status: '${sample.status}' },
});
`;
}

/**
 * package.json with the node registered after the others.
 * @param {string} packageJsonText
 * @param {CallbackNames} names
 */
function withNodeRegistered(packageJsonText, names) {
	const packageJson = JSON.parse(packageJsonText);
	const distPath = `dist/nodes/${names.className}/${names.className}.node.js`;
	if (packageJson.n8n.nodes.includes(distPath)) throw new Error(`${names.className} is already registered.`);
	packageJson.n8n.nodes.push(distPath);
	return `${JSON.stringify(packageJson, null, '\t')}\n`;
}

/**
 * nodes/catalogue.ts with the definition imported and listed after the others.
 * @param {string} catalogueText
 * @param {CallbackNames} names
 */
function withCatalogueEntry(catalogueText, names) {
	const importLine = `import { definition as ${names.definitionName} } from './${names.className}/${names.definitionName}.callback';\n`;
	const lastImport = catalogueText.lastIndexOf('import { definition as ');
	const afterImports = catalogueText.indexOf('\n', lastImport) + 1;
	const listEnd = catalogueText.lastIndexOf('];');
	return (
		catalogueText.slice(0, afterImports) +
		importLine +
		catalogueText.slice(afterImports, listEnd) +
		`\t${names.definitionName},\n` +
		catalogueText.slice(listEnd)
	);
}

/**
 * README.md with a row for the node at the end of the Nodes table.
 * @param {string} readmeText
 * @param {CallbackNames} names
 */
function withReadmeRow(readmeText, names) {
	const lines = readmeText.split('\n');
	const header = lines.findIndex((line) => line.startsWith('| Node | AIRudder callback'));
	if (header === -1) throw new Error('README.md has no Nodes table.');
	let last = header;
	while (lines[last + 1]?.startsWith('|')) last += 1;
	const row = `| ${names.title} | ${names.title} / ${names.title} | AIRudder reports ${names.title.toLowerCase()}. Inferred; guaranteed: \`id\`. | item | \`/${names.webhookPath}\` |`;
	lines.splice(last + 1, 0, row);
	return lines.join('\n');
}

/**
 * Every file to write or rewrite, by path relative to the repository.
 * @param {CallbackNames} names
 * @param {{ packageJson: string, catalogue: string, readme: string }} current
 * @returns {Record<string, string>}
 */
function scaffoldCallback(names, current) {
	return {
		[`nodes/${names.className}/${names.definitionName}.callback.ts`]: definitionFile(names),
		[`nodes/${names.className}/${names.className}.node.ts`]: nodeFile(names),
		'package.json': withNodeRegistered(current.packageJson, names),
		'nodes/catalogue.ts': withCatalogueEntry(current.catalogue, names),
		'README.md': withReadmeRow(current.readme, names),
		[`test/fixtures/${names.webhookPath}.json`]: `${JSON.stringify(starterSample(names), null, 2)}\n`,
	};
}

module.exports = { callbackNames, nodeFile, scaffoldCallback };
