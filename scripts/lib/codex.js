// @ts-check
/**
 * The codex n8n reads beside each node (`<Node>.node.json`): categories, docs link and the
 * words the node panel's search matches. English only, like all UI text of a verified node;
 * AIRudder's Chinese callback names live in the README and docs/field-reference.md.
 */
const packageJson = require('../../package.json');

const DOCS_URL = `${packageJson.homepage.replace(/#.*$/, '')}#nodes`;

/**
 * @param {string} nodeType the type n8n gives the node
 * @param {string[]} alias the words, beyond AIRudder's name, the node panel's search matches
 */
function codexWith(nodeType, alias) {
	return {
		node: nodeType,
		nodeVersion: '1.0',
		codexVersion: '1.0',
		categories: ['Communication', 'Sales'],
		resources: { primaryDocumentation: [{ url: DOCS_URL }] },
		alias: ['AIRudder', ...alias],
	};
}

/**
 * @param {string} nodeType the type n8n gives the node
 * @param {import('../../nodes/Airudder/vocabulary/definition').CallbackDefinition} definition
 */
const codexOf = (nodeType, definition) => codexWith(nodeType, ['voicebot', 'callback', definition.vendorName.en]);

/**
 * The AIRudder node's codex: found by what a user looking for a way back types.
 * @param {string} nodeType the type n8n gives the node
 */
const actionCodexOf = (nodeType) => codexWith(nodeType, ['voicebot', 'call', 'dialer', 'replay', 'backfill', 'decode']);

module.exports = { actionCodexOf, codexOf };
