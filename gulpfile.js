/**
 * Build steps that tsc does not do: copy the icons, and write for every trigger the files n8n
 * reads beside a node, both derived from the trigger's callback definition so they cannot drift
 * (and for the AIRudder node, its codex and the schema of each operation that gives a trigger's items):
 * - <Node>.node.json, the codex (categories, docs link, search aliases);
 * - the JSON Schema of one output item under __schema__/, so the editor can offer the fields
 *   before the first callback arrives.
 * And docs/field-reference.md, the columns of every trigger and the AIRudder node's outputs, from the same schemas.
 *
 * `n8n-node build` is not used: it copies every PNG and SVG in the repository into dist/, the
 * docs' screenshots included, and the package must ship only what n8n loads.
 */
const fs = require('fs');
const path = require('path');
const { src, dest, series } = require('gulp');

const { actionCodexOf, codexOf } = require('./scripts/lib/codex');
const { registeredTriggers } = require('./scripts/lib/registeredTriggers');
const { renderFieldReference } = require('./scripts/lib/fieldReference');

function copyIcons() {
	return src('icons/*.svg').pipe(dest('dist/icons'));
}

const ACTION_NODE_DIR = path.join('dist', 'nodes', 'AirudderAction');

/** @param {string} file @param {unknown} content */
function writeJson(file, content) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, `${JSON.stringify(content, null, '\t')}\n`);
}

async function writeNodeMetadata() {
	const { outputSchemaOf } = require('./dist/nodes/Airudder/output/outputSchema');
	for (const { className, nodeType, distDir: nodeDir, definition } of registeredTriggers()) {
		writeJson(path.join(nodeDir, `${className}.node.json`), codexOf(nodeType, definition));
		// n8n reads v1.0.0/output.json (like its own Webhook node); its editor's schema preview
		// route serves v1.0.0.json for a node without resource and operation. Both get the schema.
		const schema = outputSchemaOf(definition);
		writeJson(path.join(nodeDir, '__schema__', 'v1.0.0', 'output.json'), schema);
		writeJson(path.join(nodeDir, '__schema__', 'v1.0.0.json'), schema);
	}

	const { name } = require('./package.json');
	writeJson(path.join(ACTION_NODE_DIR, 'AirudderAction.node.json'), actionCodexOf(`${name}.airudderAction`));
	// For a node with resource and operation, the schema preview reads v1.0.0/<resource>/<operation>.json.
	const { operations } = require(`./${ACTION_NODE_DIR}/actions/operations`);
	for (const { resource, value, givesItemsOf } of operations) {
		if (givesItemsOf) writeJson(path.join(ACTION_NODE_DIR, '__schema__', 'v1.0.0', resource, `${value}.json`), outputSchemaOf(givesItemsOf));
	}
}

async function writeFieldReference() {
	const { outputSchemaOf, outputColumnsOf } = require('./dist/nodes/Airudder/output/outputSchema');
	const { INVALID_ITEM_FIELDS } = require('./dist/nodes/Airudder/receive/invalidItem');
	const { operations } = require(`./${ACTION_NODE_DIR}/actions/operations`);
	fs.mkdirSync('docs', { recursive: true });
	fs.writeFileSync(
		path.join('docs', 'field-reference.md'),
		renderFieldReference(registeredTriggers(), { outputSchemaOf, outputColumnsOf, INVALID_ITEM_FIELDS, operations }),
	);
}

exports.build = series(copyIcons, writeNodeMetadata, writeFieldReference);
exports.default = exports.build;
