// @ts-check
/**
 * What `npm run new-callback` writes for a new callback type, as pure functions of its name, so a
 * spec can check them without touching the repository.
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

import { triggerDescription } from '../Airudder/trigger/description';
import { triggerSubtitle } from '../Airudder/trigger/subtitle';
import { airudderTrigger } from '../Airudder/trigger/airudderTrigger';
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
	return `import { defineCallback } from '../Airudder/vocabulary/definition';
import { requiredText, text, z } from '../Airudder/vocabulary/schemaKit';

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
 * Every file to write, by path relative to the repository: the trigger folder and its first
 * fixture. The registries that list the triggers are then written from the folder.
 * @param {CallbackNames} names
 * @returns {Record<string, string>}
 */
function scaffoldCallback(names) {
	return {
		[`nodes/${names.className}/${names.definitionName}.callback.ts`]: definitionFile(names),
		[`nodes/${names.className}/${names.className}.node.ts`]: nodeFile(names),
		[`test/fixtures/${names.webhookPath}/example.json`]: `${JSON.stringify(starterSample(names), null, 2)}\n`,
	};
}

module.exports = { callbackNames, nodeFile, scaffoldCallback };
