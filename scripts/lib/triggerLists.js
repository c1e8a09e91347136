// @ts-check
/**
 * The three lists of triggers the package keeps, written from one source, the trigger folders
 * (nodes/Airudder…Trigger/, each with its node file and its *.callback.ts definition):
 * - package.json `n8n.nodes` (the AIRudder node first), which n8n reads when it installs the
 *   package, so it is committed;
 * - nodes/catalogue.ts, every definition, for what the credential says about all of them;
 * - the README's Nodes table.
 * `npm run registries` writes them; a unit spec fails while any of them differs from what the
 * folders give. A trigger keeps its place in package.json; a new folder is listed after the others.
 */
const fs = require('node:fs');
const path = require('node:path');

const REGISTRIES_COMMAND = 'npm run registries';
const TRIGGER_FOLDER = /^Airudder\w+Trigger$/;
const DEFINITION_SUFFIX = '.callback.ts';
const TABLE_START = `<!-- Nodes table: written by ${REGISTRIES_COMMAND} -->`;
const TABLE_END = '<!-- end of Nodes table -->';

/**
 * @typedef {object} TriggerFolder
 * @property {string} className      the folder, the node class and its file's name
 * @property {string} definitionName the definition's file name without `.callback.ts`
 */

/**
 * @param {string} root the repository
 * @returns {TriggerFolder[]} in folder-name order
 */
function triggerFolders(root) {
	const nodesDir = path.join(root, 'nodes');
	return fs
		.readdirSync(nodesDir)
		.filter((folder) => TRIGGER_FOLDER.test(folder))
		.sort()
		.map((className) => {
			const files = fs.readdirSync(path.join(nodesDir, className));
			const definitions = files.filter((file) => file.endsWith(DEFINITION_SUFFIX));
			if (!files.includes(`${className}.node.ts`) || definitions.length !== 1) {
				throw new Error(
					`nodes/${className}/ must hold ${className}.node.ts and exactly one *${DEFINITION_SUFFIX} definition, as npm run new-callback writes them; complete the folder or remove it.`,
				);
			}
			return { className, definitionName: definitions[0].slice(0, -DEFINITION_SUFFIX.length) };
		});
}

/** The AIRudder node, listed before the triggers. */
const ACTION_NODE_DIST_PATH = 'dist/nodes/AirudderAction/AirudderAction.node.js';

/** @param {string} className */
const distPathOf = (className) => `dist/nodes/${className}/${className}.node.js`;

/**
 * The folders in the order package.json registers them, new ones last.
 * @param {TriggerFolder[]} folders
 * @param {string[]} registeredNodes package.json `n8n.nodes` as it is
 */
function inRegistrationOrder(folders, registeredNodes) {
	const place = (/** @type {TriggerFolder} */ { className }) => {
		const index = registeredNodes.indexOf(distPathOf(className));
		return index === -1 ? registeredNodes.length : index;
	};
	return [...folders].sort((a, b) => place(a) - place(b));
}

/**
 * @param {string} packageJsonText
 * @param {TriggerFolder[]} ordered
 */
function renderPackageJson(packageJsonText, ordered) {
	const packageJson = JSON.parse(packageJsonText);
	packageJson.n8n.nodes = [ACTION_NODE_DIST_PATH, ...ordered.map(({ className }) => distPathOf(className))];
	return `${JSON.stringify(packageJson, null, '\t')}\n`;
}

/** @param {TriggerFolder[]} ordered */
function renderCatalogue(ordered) {
	const imports = [...ordered]
		.sort((a, b) => a.className.localeCompare(b.className))
		.map(({ className, definitionName }) => `import { definition as ${definitionName} } from './${className}/${definitionName}.callback';\n`);
	return `// Written by \`${REGISTRIES_COMMAND}\` from the trigger folders: change those, then run it.
${imports.join('')}
import type { CallbackDefinition } from './Airudder/vocabulary/definition';

/**
 * Every callback definition, in the order package.json registers the triggers, for what the
 * package says about all of them at once (the credential's Replay Window names the triggers it
 * applies to).
 */
export const callbackDefinitions: CallbackDefinition[] = [
${ordered.map(({ definitionName }) => `\t${definitionName},\n`).join('')}];

/** The same definitions by name, for the AIRudder node's operations that give a trigger's items. */
export const callbackDefinitionNamed = {
${[...ordered]
	.sort((a, b) => a.definitionName.localeCompare(b.definitionName))
	.map(({ definitionName }) => `\t${definitionName},\n`)
	.join('')}} satisfies Record<string, CallbackDefinition>;
`;
}

/** The AIRudder node, a regular node: its row leads the table, in the table's columns. */
const ACTION_NODE_ROW =
	'| **AIRudder** (regular node; [details](docs/airudder-node.md)) | AIRudder’s REST API / — | A workflow step runs it: Callback → Decode a stored callback; Task → Get; Workflow → Find Calls, Get Task Details, Create, Add Contacts | call | — |';

/** @param {string} text */
const cell = (text) => text.replace(/\|/g, '\\|');

/**
 * @param {import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition} definition
 * @param {(definition: import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition) => string[]} guaranteedColumnsOf
 */
function tableRow(definition, guaranteedColumnsOf) {
	const node = definition.displayName.replace(/^AIRudder | Trigger$/g, '');
	// "Starts the workflow when a call ends" reads "A call ends" under "When it fires".
	const when = `${definition.description.replace(/^Starts the workflow when (\w)/, (_start, letter) => letter.toUpperCase())}.`;
	const guaranteed = definition.inferred
		? ` Inferred; guaranteed: ${guaranteedColumnsOf(definition).map((column) => `\`${column}\``).join(', ')}.`
		: '';
	const split = definition.split ? ` (\`${definition.split.field}[]\` is split)` : '';
	const cells = [
		node,
		`${definition.vendorName.en} / ${definition.vendorName.zh}`,
		`${when}${guaranteed}`,
		`${definition.itemNoun}${split}`,
		`\`/${definition.webhookPath}\``,
	];
	return `| ${cells.map(cell).join(' | ')} |`;
}

/**
 * The README with its Nodes table rewritten between the two marker comments.
 * @param {string} readmeText
 * @param {import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition[]} definitions
 * @param {(definition: import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition) => string[]} guaranteedColumnsOf
 *   the columns every item of a callback type carries, as items name them
 */
function renderReadme(readmeText, definitions, guaranteedColumnsOf) {
	const start = readmeText.indexOf(TABLE_START);
	const end = readmeText.indexOf(TABLE_END);
	if (start === -1 || end < start) {
		throw new Error(`README.md needs the lines "${TABLE_START}" and "${TABLE_END}" where the Nodes table goes.`);
	}
	const table = [
		'| Node | AIRudder callback (English / 中文) | When it fires | One item per | URL ends with |',
		'|---|---|---|---|---|',
		ACTION_NODE_ROW,
		...definitions.map((definition) => tableRow(definition, guaranteedColumnsOf)),
	];
	return `${readmeText.slice(0, start)}${TABLE_START}\n${table.join('\n')}\n${readmeText.slice(end)}`;
}

/**
 * Every registry as the trigger folders give it, by path relative to the repository. The
 * definitions are required from their TypeScript source: under jest as is, from a script after
 * `allowTypeScriptRequire()`.
 * @param {string} root the repository
 * @returns {Record<string, string>}
 */
function renderRegistries(root) {
	const read = (/** @type {string} */ file) => fs.readFileSync(path.join(root, file), 'utf8');
	const packageJsonText = read('package.json');
	const ordered = inRegistrationOrder(triggerFolders(root), JSON.parse(packageJsonText).n8n.nodes);
	const { outputColumnsOf } = require(path.join(root, 'nodes', 'Airudder', 'output', 'outputSchema'));
	const definitions = ordered.map(
		({ className, definitionName }) => require(path.join(root, 'nodes', className, `${definitionName}.callback`)).definition,
	);
	return {
		'package.json': renderPackageJson(packageJsonText, ordered),
		'nodes/catalogue.ts': renderCatalogue(ordered),
		'README.md': renderReadme(read('README.md'), definitions, (definition) => outputColumnsOf(definition).core),
	};
}

/**
 * The registries that differ from what the trigger folders give, with the text they should have.
 * @param {string} root the repository
 */
function staleRegistries(root) {
	return Object.entries(renderRegistries(root)).filter(([file, text]) => fs.readFileSync(path.join(root, file), 'utf8') !== text);
}

/**
 * One sentence per stale registry, saying what to run.
 * @param {string} root the repository
 */
function staleRegistryNotices(root) {
	return staleRegistries(root).map(
		([file]) => `${file} does not list the triggers in nodes/ as they are; run ${REGISTRIES_COMMAND} and commit the result.`,
	);
}

/**
 * Lets `require` load the package's TypeScript source, compiled file by file without type checks,
 * so the registries can be written before the first build.
 */
function allowTypeScriptRequire() {
	const ts = require('typescript');
	require.extensions['.ts'] = (module, filename) => {
		const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
			fileName: filename,
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
		});
		/** @type {NodeJS.Module & { _compile(code: string, filename: string): void }} */ (module)._compile(outputText, filename);
	};
}

/**
 * Writes every registry that differs from what the trigger folders give.
 * @param {string} root the repository
 * @returns {string[]} the files rewritten
 */
function writeRegistries(root) {
	allowTypeScriptRequire();
	const stale = staleRegistries(root);
	for (const [file, text] of stale) fs.writeFileSync(path.join(root, file), text);
	return stale.map(([file]) => file);
}

module.exports = { REGISTRIES_COMMAND, renderRegistries, staleRegistryNotices, triggerFolders, writeRegistries };
