import type { CallbackDefinition } from '../vocabulary/definition';
import { N8N_LABELS } from './n8nLabels';
import { replayWindowNotice } from './replayWindowTexts';
import { outputColumnsOf } from '../output/outputSchema';

/**
 * What a trigger tells the user who sets it up. The yellow notice says only what to do first, as
 * n8n's own triggers do; the rest is in the trigger panel, beside the button it talks about.
 */

const EXECUTE_STEP = `"${N8N_LABELS.executeStep}"`;

const PARAGRAPH = '<br /><br />';

/** The notice above the parameters: the one step without which nothing arrives. */
export function setupNotice(definition: CallbackDefinition): string {
	return [
		`In AIRudder, set the callback URL of <b>"${definition.vendorName.en}"</b> to this node's <b>Production URL</b>: open <b>Webhook URLs</b> above, choose <b>Production URL</b>, and click the address to copy it.`,
		"Production refuses every callback until the credential has a URL Token (add ?token=YOUR_TOKEN to the URL) or a Signature, or Allowed IP Addresses lists AIRudder's, so set one and publish the workflow.",
	].join(' ');
}

/** What the panel's "More info" adds whether or not the workflow is published. */
function details(definition: CallbackDefinition): string {
	const inferred = definition.inferred
		? `AIRudder has not published this callback's body, so its fields are inferred. Guaranteed: ${outputColumnsOf(definition).core.join(', ')}. Every field AIRudder sends is kept; a callback whose other fields differ still arrives here, with the differences in schema_mismatch.`
		: '';
	return [
		'<b>If the Production URL starts with http://localhost or 127.0.0.1, AIRudder cannot reach it</b>: give n8n a public https address first (its WEBHOOK_URL setting).',
		[definition.notes ?? '', inferred].filter((text) => text !== '').join(' '),
		replayWindowNotice(definition),
	]
		.filter((paragraph) => paragraph !== '')
		.join(PARAGRAPH);
}

/**
 * The editor shows these beside its "Execute step" button, and picks the text by whether the
 * workflow is published: an unpublished workflow is the commonest reason callbacks vanish.
 */
export function triggerPanel(definition: CallbackDefinition) {
	const callback = `AIRudder's "${definition.vendorName.en}" callback`;
	return {
		header: `Receive ${callback}`,
		activationHint: {
			inactive: `<b>This workflow is not published, so AIRudder's callbacks to the Production URL are refused</b>, and AIRudder drops each one after 5 retries. Test with ${EXECUTE_STEP} and the Test URL, then <a data-key="activate">publish the workflow</a>.`,
			active: `Published: each ${callback} sent to the Production URL that passes the credential's checks starts this workflow. You can find them under <a data-key="executions">Executions</a>.`,
		},
		executionsHelp: {
			inactive: `While you build the workflow, click ${EXECUTE_STEP} and make AIRudder (or the package's sample sender) send the callback to the <b>Test URL</b>; the data shows here, and a callback the trigger refuses or cannot read shows on the <b>Invalid Branch</b> tab with the reason. Once you publish the workflow, ${callback} goes to the <b>Production URL</b> and each one runs in the background, listed under <a data-key="executions">Executions</a>.${PARAGRAPH}${details(definition)}`,
			active: `The workflow is published, so each ${callback} sent to the <b>Production URL</b> runs in the background and is listed under <a data-key="executions">Executions</a>. To see data here while editing, click ${EXECUTE_STEP} and send a callback to the <b>Test URL</b>.${PARAGRAPH}${details(definition)}`,
		},
	};
}
