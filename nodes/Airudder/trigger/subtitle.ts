import type { CallbackDefinition } from '../vocabulary/definition';

/** One thing the canvas line can name, in the order it is looked for. */
type SubtitlePart =
	| { filterSwitch: string; text: string }
	| { filterList: string; label: string }
	| { parameters: Record<string, unknown>; text: string };

/**
 * Reads the parts against the node's parameters. Written once, and given the definition's parts
 * as data, because n8n's `subtitle` is an expression it evaluates in the browser for every node
 * on the canvas.
 */
const NAME_FIRST_PART = `(parts, parameters) => {
	const filters = parameters.filters || {};
	const shown = parts.map((part) => {
		if (part.filterSwitch) return filters[part.filterSwitch] === true ? part.text : "";
		if (part.filterList) {
			const chosen = [].concat(filters[part.filterList] || []).join(",").split(",").map((value) => value.trim()).filter(String);
			if (chosen.length > 1) return chosen.length + " " + part.label.toLowerCase();
			return chosen.length ? part.label + ": " + chosen[0] : "";
		}
		return Object.keys(part.parameters).every((name) => parameters[name] === part.parameters[name]) ? part.text : "";
	}).filter(String);
	return (shown[0] || "Simplified columns") + (shown.length > 1 ? " +" + (shown.length - 1) : "");
}`;

/**
 * The canvas line under the node. n8n cuts it at about 27 characters, so it names one thing:
 * the first filter that is set (what explains a workflow that "receives nothing"), or the output
 * mode when it is not the default, and counts the rest ("Connected only +2"). A filter with
 * several values shows their number.
 */
export function triggerSubtitle(definition: CallbackDefinition): string {
	const parts: SubtitlePart[] = [
		...(definition.isConnected ? [{ filterSwitch: 'connectedOnly', text: 'Connected only' }] : []),
		...(definition.filters ?? []).map(({ name, displayName }) => ({ filterList: name, label: displayName })),
		...(definition.split ? [{ parameters: { outputMode: 'perCallback' }, text: 'One item per callback' }] : []),
		// Simplify is offered only for separate items, so only then does its value show.
		{ parameters: { simplify: false, ...(definition.split ? { outputMode: 'perItem' } : {}) }, text: 'Raw fields' },
	];
	return `={{ (${NAME_FIRST_PART})(${JSON.stringify(parts)}, $parameter) }}`;
}
