#!/usr/bin/env node
// @ts-check
/**
 * npm run new-callback -- "<Callback Name>"
 * Adds a callback type: its trigger folder and first fixture, then the registries that list the
 * triggers, written from the folders. The definition is ready to fill in from AIRudder's docs.
 */
const fs = require('node:fs');
const path = require('node:path');

const { REPO_ROOT } = require('./lib/repoRoot');
const { callbackNames, scaffoldCallback } = require('./lib/scaffold');
const { REGISTRIES_COMMAND, writeRegistries } = require('./lib/triggerLists');

function main() {
	const title = process.argv.slice(2).join(' ');
	if (!title.trim()) {
		console.error('Usage: npm run new-callback -- "Task Paused"   (the callback, named in English words)');
		process.exit(2);
	}
	const names = callbackNames(title);
	if (fs.existsSync(path.join(REPO_ROOT, 'nodes', names.className))) {
		console.error(`nodes/${names.className} already exists. Name a callback type the package does not have yet.`);
		process.exit(2);
	}
	for (const [file, text] of Object.entries(scaffoldCallback(names))) {
		fs.mkdirSync(path.dirname(path.join(REPO_ROOT, file)), { recursive: true });
		fs.writeFileSync(path.join(REPO_ROOT, file), text);
		console.log(`wrote ${file}`);
	}
	for (const file of writeRegistries(REPO_ROOT)) console.log(`wrote ${file}`);
	console.log(`
${names.className} is registered and builds. Now, from AIRudder's page for this callback:
1. nodes/${names.className}/${names.definitionName}.callback.ts: the schema, texts, core fields, sample.
2. test/fixtures/${names.webhookPath}/example.json: AIRudder's example payload (add a file per further case).
3. ${REGISTRIES_COMMAND}: rewrites the README's Nodes row from the definition's texts.
4. npm run fixtures: writes the items each fixture produces beside it (<case>.expected.json, and with Simplify off and one item per callback) and the columns (columns.expected.json); review the diff.
5. npm run build: regenerates docs/field-reference.md. Then npm run test:unit.`);
}

main();
