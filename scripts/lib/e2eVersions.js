// @ts-check
const { supportedVersions } = require('./runtime');

/**
 * The n8n versions the end-to-end suite runs on: every supported one, or the comma-separated
 * list in AIRUDDER_E2E_N8N (for a quicker local run).
 */
function e2eVersions() {
	const chosen = (process.env.AIRUDDER_E2E_N8N ?? '').split(',').map((version) => version.trim()).filter(Boolean);
	const supported = supportedVersions();
	const unknown = chosen.filter((version) => !supported.includes(version));
	if (unknown.length > 0) throw new Error(`AIRUDDER_E2E_N8N names unsupported n8n ${unknown.join(', ')}; supported: ${supported.join(', ')}`);
	return chosen.length > 0 ? chosen : supported;
}

module.exports = { e2eVersions };
