// @ts-check
/** Free ports on 127.0.0.1, for the local n8n, Redis, PostgreSQL and the local npm registry. */
const net = require('node:net');

/**
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function isFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/**
 * A port whose successor is free too (n8n's task broker listens there), on 127.0.0.1.
 * @returns {Promise<number>}
 */
async function findFreePortPair() {
	for (let attempt = 0; attempt < 50; attempt++) {
		// Below Linux's ephemeral range (32768 and up), where outgoing connections take ports.
		const port = 20_000 + 2 * Math.floor(Math.random() * 6_000);
		if ((await isFree(port)) && (await isFree(port + 1))) return port;
	}
	throw new Error('No two adjacent free ports found on 127.0.0.1');
}

module.exports = { findFreePortPair };
