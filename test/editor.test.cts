import { Workflow, type INode, type INodeType, type INodeParameters } from 'n8n-workflow';

import { AirudderWorkflowCallCompletedTrigger } from '../nodes/AirudderWorkflowCallCompletedTrigger/AirudderWorkflowCallCompletedTrigger.node';

import { triggersUnderTest } from './helpers/triggers.cjs';

/** The subtitle as n8n's expression engine computes it for the canvas. */
function subtitleOf(type: INodeType, parameters: INodeParameters): string {
	const node: INode = { id: '1', name: 'Trigger', type: type.description.name, typeVersion: 1, position: [0, 0], parameters };
	const nodeTypes = { getByName: () => type, getByNameAndVersion: () => type, getKnownTypes: () => ({}) };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes as never });
	return String(workflow.expression.getSimpleParameterValue(node, type.description.subtitle as string, 'internal', {}));
}

/** The triggers whose callbacks group several items and so offer "One Item per Callback". */
const SPLITTING = ['AirudderInboundCallSuccessTrigger', 'AirudderTaskCallEndedTrigger', 'AirudderWorkflowCallCompletedTrigger'];

/** What "More info" in the trigger panel says, published or not. */
function panelOf(node: INodeType) {
	return node.description.triggerPanel as {
		activationHint: { inactive: string; active: string };
		executionsHelp: { inactive: string; active: string };
	};
}

describe('What the editor shows for each trigger', () => {
	describe.each(triggersUnderTest())('$className', ({ node, definition }) => {
		const notice = node.description.properties.find((property) => property.type === 'notice')?.displayName ?? '';
		const sentences = notice.split(/(?<=\.) /);
		const panel = panelOf(node);
		const moreInfo = [panel.executionsHelp.inactive, panel.executionsHelp.active];

		it('says in its first sentence which AIRudder callback to point at the Production URL, and how to copy it', () => {
			expect(sentences[0]).toContain(`"${definition.vendorName.en}"`);
			expect(sentences[0]).toMatch(/Production URL.*click the address to copy it\.$/);
		});

		it('keeps its notice to two sentences, the second saying what production needs before it accepts a callback, and to publish', () => {
			expect(sentences).toHaveLength(2);
			expect(sentences[1]).toBe(
				"Production refuses every callback until the credential has a URL Token (add ?token=YOUR_TOKEN to the URL) or a Signature, or Allowed IP Addresses lists AIRudder's, so set one and publish the workflow.",
			);
		});

		it('says in the trigger panel that an unpublished workflow refuses callbacks and that a localhost address cannot be reached', () => {
			expect(panel.activationHint.inactive).toMatch(/not published.*refused.*data-key="activate"/);
			expect(panel.activationHint.active).toMatch(/^Published/);
			for (const help of moreInfo) {
				expect(help).toContain('If the Production URL starts with http://localhost or 127.0.0.1, AIRudder cannot reach it');
			}
		});

		it('says in the trigger panel what each item is, and whether its fields are inferred', () => {
			for (const help of moreInfo) {
				expect(help).toContain(definition.notes);
				expect(help.includes("AIRudder has not published this callback's body")).toBe(definition.inferred === true);
			}
		});

		it('says in the trigger panel whether the credential’s Replay Window applies to it, and what to do instead when it does not', () => {
			const applies = `This callback carries a timestamp, in its ${definition.timestampField} field, so the credential's Replay Window applies to it`;
			const doesNotApply = "This callback carries no timestamp, so the credential's Replay Window does not apply to it. To drop";
			for (const help of moreInfo) {
				expect(help).toContain(definition.timestampField ? applies : doesNotApply);
				expect(help.includes('turn on Options → Ignore Repeated Deliveries')).toBe(!definition.timestampField);
			}
		});

		it('shows the output mode in the subtitle when no filter is set', () => {
			expect(subtitleOf(node, { outputMode: 'perItem', simplify: true })).toBe('Simplified columns');
			expect(subtitleOf(node, { outputMode: 'perItem', simplify: false })).toBe('Raw fields');
		});
	});

	it('offers "One Item per Callback" on exactly the triggers whose callbacks group several items', () => {
		const offering = triggersUnderTest()
			.filter(({ node }) => node.description.properties.some((property) => property.name === 'outputMode'))
			.map(({ className }) => className)
			.sort();
		expect(offering).toEqual(SPLITTING);
	});

	describe.each(triggersUnderTest().filter(({ className }) => SPLITTING.includes(className)))('$className', ({ node }) => {
		it('names the output mode "One item per callback" in the subtitle, whatever Simplify was set to', () => {
			expect(subtitleOf(node, { outputMode: 'perCallback', simplify: true })).toBe('One item per callback');
			expect(subtitleOf(node, { outputMode: 'perCallback', simplify: false })).toBe('One item per callback');
		});
	});

	it('names the first filter that is set, then counts the rest, so the canvas never cuts the line', () => {
		const node = new AirudderWorkflowCallCompletedTrigger();
		const subtitle = (simplify: boolean, filters: INodeParameters) => subtitleOf(node, { outputMode: 'perItem', simplify, filters });
		expect(subtitle(true, { connectedOnly: true, resultLabels: 'PTP, Callback', hangupTypes: ['ByCallee', 'ByRobot'] })).toBe(
			'Connected only +2',
		);
		expect(subtitle(false, { resultLabels: 'PTP' })).toBe('Result Labels: PTP +1');
		expect(subtitle(true, { resultLabels: 'PTP, Callback' })).toBe('2 result labels');
		expect(subtitle(true, { hangupTypes: ['ByCallee'] })).toBe('Hang-Up Types: ByCallee');
		expect(subtitle(true, { connectedOnly: false, resultLabels: '' })).toBe('Simplified columns');
	});

	it('fits every subtitle within the 27 characters the canvas shows, whatever filters are set with short values', () => {
		for (const { node, definition } of triggersUnderTest()) {
			const choices = (definition.filters ?? []).map((filter) => {
				const values = (filter.values ?? ['PTP', 'Callback']).map((value) => (typeof value === 'string' ? value : value.value));
				return { name: filter.name, settings: [[], values.slice(0, 1), values] };
			});
			const combinations = choices.reduce<INodeParameters[]>(
				(partial, { name, settings }) => partial.flatMap((filters) => settings.map((chosen) => ({ ...filters, [name]: chosen }))),
				[{ connectedOnly: true }, { connectedOnly: false }],
			);
			for (const filters of combinations) {
				for (const simplify of [true, false]) {
					const subtitle = subtitleOf(node, { outputMode: 'perItem', simplify, filters });
					expect({ subtitle, fits: subtitle.length <= 27 }).toEqual({ subtitle, fits: true });
				}
			}
		}
	});
});
