// @ts-check
const { routineVersions, supportedVersions } = require('./runtime');

/**
 * The n8n versions the end-to-end suite runs on: every supported one except those tested on
 * request, or the comma-separated list in AIRUDDER_E2E_N8N (a quicker local run, or a version
 * tested on request).
 */
function e2eVersions() {
	const chosen = (process.env.AIRUDDER_E2E_N8N ?? '').split(',').map((version) => version.trim()).filter(Boolean);
	const supported = supportedVersions();
	const unknown = chosen.filter((version) => !supported.includes(version));
	if (unknown.length > 0) throw new Error(`AIRUDDER_E2E_N8N names unsupported n8n ${unknown.join(', ')}; supported: ${supported.join(', ')}`);
	return chosen.length > 0 ? chosen : routineVersions();
}

module.exports = { e2eVersions };
