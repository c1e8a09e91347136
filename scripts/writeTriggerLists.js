#!/usr/bin/env node
// @ts-check
/**
 * npm run registries
 * Writes package.json `n8n.nodes`, nodes/catalogue.ts and the README's Nodes table from the
 * trigger folders in nodes/ (scripts/lib/triggerLists.js says how).
 */
const { REPO_ROOT } = require('./lib/repoRoot');
const { writeRegistries } = require('./lib/triggerLists');

function main() {
	const rewritten = writeRegistries(REPO_ROOT);
	console.log(rewritten.length ? `wrote ${rewritten.join(', ')}` : 'package.json, nodes/catalogue.ts and README.md already list every trigger.');
}

main();
