// @ts-check
/**
 * The callback definitions behind the triggers registered in package.json, loaded from the build
 * output. Everything outside the package (build metadata, demo workflows, the sample sender,
 * the end-to-end tests) finds the triggers here, so they need no step of their own when a trigger
 * is added. Each definition's file is named from its trigger folder in nodes/, which tsc compiles
 * file for file, not by listing dist/: under jest, test/resolver.js answers a require of dist/
 * with the source, but nothing answers a listing, and the unit specs run without a build.
 */
const fs = require('node:fs');
const path = require('node:path');

const { REPO_ROOT } = require('./repoRoot');
const { triggerFolders } = require('./triggerLists');
const packageJson = require('../../package.json');

/**
 * @typedef {object} RegisteredTrigger
 * @property {string} className the node class, also the file prefix
 * @property {string} nodeType the type n8n gives it when installed as a community package
 * @property {string} distDir
 * @property {import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition} definition
 */

/**
 * Whether a path of package.json `n8n.nodes` is a trigger's; the AIRudder node, listed first, is not.
 * @param {string} nodePath
 */
const isTriggerPath = (nodePath) => path.basename(nodePath, '.node.js').endsWith('Trigger');

/** @returns {RegisteredTrigger[]} */
function registeredTriggers() {
	const definitionNames = new Map(triggerFolders(REPO_ROOT).map(({ className, definitionName }) => [className, definitionName]));
	return packageJson.n8n.nodes.filter(isTriggerPath).map((/** @type {string} */ nodePath) => {
		const className = path.basename(nodePath, '.node.js');
		const definitionName = definitionNames.get(className);
		if (!definitionName) throw new Error(`package.json registers ${className}, which has no folder in nodes/; run npm run registries`);
		const distDir = path.join(REPO_ROOT, path.dirname(nodePath));
		const definitionFile = path.join(distDir, `${definitionName}.callback.js`);
		let definition;
		try {
			({ definition } = require(definitionFile));
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code === 'MODULE_NOT_FOUND' && !fs.existsSync(definitionFile)) {
				throw new Error(`${definitionFile} is missing; run npm run build first`);
			}
			throw error;
		}
		return {
			className,
			nodeType: `${packageJson.name}.${definition.nodeName}`,
			distDir,
			definition,
		};
	});
}

/**
 * Finds a trigger by its webhook path (`workflow-call-completed`) or node name.
 * @param {string} name
 */
function findTrigger(name) {
	const wanted = name.toLowerCase();
	const triggers = registeredTriggers();
	const found = triggers.find(
		({ className, definition }) =>
			definition.webhookPath === wanted || className.toLowerCase() === wanted || definition.nodeName.toLowerCase() === wanted,
	);
	if (!found) {
		throw new Error(`Unknown callback "${name}". Choose one of: ${triggers.map((t) => t.definition.webhookPath).join(', ')}`);
	}
	return found;
}

module.exports = { packageJson, isTriggerPath, registeredTriggers, findTrigger };
