#!/usr/bin/env node
// @ts-check
/**
 * npm run new-callback -- "<Callback Name>"
 * Adds a callback type everywhere the package needs it, ready to fill in from AIRudder's docs.
 */
const fs = require('node:fs');
const path = require('node:path');

const { callbackNames, scaffoldCallback } = require('./lib/scaffold');

const ROOT = path.join(__dirname, '..');

function main() {
	const title = process.argv.slice(2).join(' ');
	if (!title.trim()) {
		console.error('Usage: npm run new-callback -- "Task Paused"   (the callback, named in English words)');
		process.exit(2);
	}
	const names = callbackNames(title);
	const read = (/** @type {string} */ file) => fs.readFileSync(path.join(ROOT, file), 'utf8');
	const files = scaffoldCallback(names, {
		packageJson: read('package.json'),
		catalogue: read('nodes/catalogue.ts'),
		readme: read('README.md'),
	});
	for (const [file, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
		fs.writeFileSync(path.join(ROOT, file), text);
		console.log(`wrote ${file}`);
	}
	console.log(`
${names.className} is registered and builds. Now, from AIRudder's page for this callback:
1. nodes/${names.className}/${names.definitionName}.callback.ts: the schema, texts, core fields, sample.
2. test/fixtures/${names.webhookPath}.json: AIRudder's example payload.
3. README.md: the new row at the end of the Nodes table.
4. npm run fixtures: writes the items each fixture produces to test/fixtures/expected/; review the diff.
5. npm run build: regenerates docs/field-reference.md. Then npm run test:unit.`);
}

main();
