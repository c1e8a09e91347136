// @ts-check
/**
 * Runs the local AIRudder API (scripts/lib/localAirudderApi.js) beside n8n, holding no tasks or
 * calls (its sign-in and error answers are what a credential test needs), until Ctrl+C. Point an AIRudder API credential's Base URL at the printed
 * address and use App Key "local-app-key", App Secret "local-app-secret". `--answer-shape` picks
 * how the lookups answer (the module's `answerShape`): with no calls held, Find Calls gets an
 * empty page of that shape, e.g. `emptyPage`'s `{"list": null, "total": 0}`.
 *
 *   node scripts/serveLocalAirudderApi.js [--port 8765] [--aes-key <16/24/32 chars>] [--refuse-with http|code]
 *     [--answer-shape task|pagedList|pagedFlatList|callbackList|flatList|emptyPage]
 */
const { parseArgs } = require('node:util');

const { ANSWER_SHAPES, startLocalAirudderApi } = require('./lib/localAirudderApi');

async function main() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '8765' },
			'aes-key': { type: 'string', default: '' },
			'refuse-with': { type: 'string', default: 'http' },
			'answer-shape': { type: 'string' },
		},
	});
	const answerShape = ANSWER_SHAPES.find((shape) => shape === values['answer-shape']);
	if (values['answer-shape'] !== undefined && answerShape === undefined) {
		console.error(`--answer-shape "${values['answer-shape']}" is not a shape the local AIRudder API answers in. Give one of: ${ANSWER_SHAPES.join(', ')}.`);
		process.exit(1);
	}
	const api = await startLocalAirudderApi({
		port: Number(values.port),
		aesKey: values['aes-key'],
		refuseWith: values['refuse-with'] === 'code' ? 'code' : 'http',
		...(answerShape ? { answerShape } : {}),
	});
	console.log(`Local AIRudder API on ${api.url} (App Key "local-app-key", App Secret "local-app-secret"). Ctrl+C stops it.`);
	process.once('SIGINT', () => void api.close().then(() => process.exit(0)));
}

void main();
