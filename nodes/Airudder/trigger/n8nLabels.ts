/**
 * Labels of n8n's own buttons that our notices and the README name, as n8n 2.8 to 2.41 show them
 * in English (n8n 1.x was not checked). The browser test finds each one on screen, so a
 * relabelled button fails it.
 */
export const N8N_LABELS = {
	/** The trigger panel's button that starts listening for one test callback. */
	executeStep: 'Execute step',
	/** The same button while the editor listens. */
	stopListening: 'Stop Listening',
	/** The trigger panel's link that opens its help below the activation hint. */
	moreInfo: 'More info',
	/** The button of the card that opens when a community node is picked in the node panel. */
	addToWorkflow: 'Add to workflow',
} as const;
