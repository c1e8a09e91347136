// @ts-check
/** The checkout every script works in: where package.json, dist/, examples/ and runtime/ are. */
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

module.exports = { REPO_ROOT };
