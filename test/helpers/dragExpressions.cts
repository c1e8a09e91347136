/**
 * What n8n's editor writes when a user drags one of our item's fields from the input panel into a
 * parameter, and what an n8n's own expression code makes of it.
 *
 * The editor (n8n-editor-ui 1.123.x, 2.8.x and 2.41.x alike) builds the expression in
 * `getMappedExpression` (src/utils/mappingUtils.ts): `{{ <root><path> }}`, where the root is
 * `$json` for the node just before, `$('<node>').item.json` further up, and the path joins each
 * key as `.key` when it matches /^[a-zA-Z_$][a-zA-Z0-9_$]*$/, else as `['key']` (with `'` escaped),
 * and each array index as `[i]`. The table view passes `[column, ...nested path]` and the schema
 * view a path built by the same `generatePath`, one entry per array index; the JSON view passes
 * the path vue-json-pretty gives a node, which dots keys matching /^[a-zA-Z_]\w*$/ and writes
 * other keys as `["key"]`, unescaped. 2.8.x and 2.41.x root the path at `$item` instead of
 * `$json` in a workflow whose settings say binaryMode "combined".
 *
 * n8n-workflow refuses, whatever the engine, an expression that names a property of its
 * `unsafeObjectProperties` (utils.ts) with a dot or a string literal in brackets, at any depth:
 * its PrototypeSanitizer (expression-sandboxing.ts) throws `Cannot access "<name>" due to
 * security concerns` while compiling the expression, before any data is read. Its Expression
 * also refuses any expression whose text matches /\.\s*constructor/, so `$json.constructorId`
 * and `$json['a.constructor']` too ("Expression contains invalid constructor function call").
 * test/helpers/runtimeExpressions.js evaluates these expressions with an installed n8n's own code.
 */
import type { IDataObject } from 'n8n-workflow';

export type DragView = 'table' | 'schema' | 'json';

export interface DragTarget {
	/** Keys and array indexes from the item's top level down to the field. */
	path: Array<string | number>;
	/** The field's value in the item, as n8n stores it (JSON). */
	value: unknown;
	/** The expression each view of the input panel writes on drag, `{{ … }}` without the leading `=`. */
	expressions: Record<DragView, string>;
}

export interface DragSource {
	/** Name of the node whose output is dragged. */
	nodeName: string;
	/** 1 when it is the node right before the one edited: the expression then starts at `$json`. */
	distanceFromActive: number;
}

export const DEFAULT_SOURCE: DragSource = { nodeName: 'AIRudder Trigger', distanceFromActive: 1 };

/** mappingUtils.ts `validJsIdNameRegex`. */
const MAPPING_IDENTIFIER = /^[a-zA-Z_$][a-zA-Z0-9_$]*$/;
/** vue-json-pretty's test for a key it can write after a dot. */
const JSON_VIEW_IDENTIFIER = /^[a-zA-Z_]\w*$/;

/** mappingUtils.ts `escapeMappingString`. */
function escapeMappingString(text: string): string {
	return text.replace(/'/g, "\\'");
}

/** mappingUtils.ts `generatePath`: the table and schema views. */
function generatePath(root: string, path: Array<string | number>): string {
	return path.reduce<string>((accu, part) => {
		if (typeof part === 'number') return `${accu}[${part}]`;
		if (!MAPPING_IDENTIFIER.test(part)) return `${accu}['${escapeMappingString(part)}']`;
		return `${accu}.${part}`;
	}, root);
}

/** vue-json-pretty's node path, as RunDataJson passes it on once the item's own `[0]` is cut off. */
function jsonViewPath(path: Array<string | number>): string {
	return path.map((part) => (typeof part === 'number' ? `[${part}]` : JSON_VIEW_IDENTIFIER.test(part) ? `.${part}` : `["${part}"]`)).join('');
}

/** mappingUtils.ts `getNodeParentExpression`, for the default binary mode. */
export function dragRoot({ nodeName, distanceFromActive }: DragSource = DEFAULT_SOURCE): string {
	return distanceFromActive === 1 ? '$json' : generatePath(`$('${escapeMappingString(nodeName)}')`, ['item', 'json']);
}

/** The expressions the editor writes when the field at `path` is dragged. */
export function dragExpressions(path: Array<string | number>, source: DragSource = DEFAULT_SOURCE): Record<DragView, string> {
	const root = dragRoot(source);
	const mapped = `{{ ${generatePath(root, path)} }}`;
	return { table: mapped, schema: mapped, json: `{{ ${root}${jsonViewPath(path)} }}` };
}

/**
 * Every field a user can drag from the item: each column, each key of a nested object and each
 * entry of a list (`a[0]`, `a[0].b`, …), objects and lists themselves included, in the item's
 * order. The item is taken as n8n stores it, through JSON, so a key whose value is undefined is
 * not offered.
 */
export function dragTargets(item: IDataObject, source: DragSource = DEFAULT_SOURCE): DragTarget[] {
	const stored = JSON.parse(JSON.stringify(item)) as IDataObject;
	const targets: DragTarget[] = [];
	const visit = (value: unknown, path: Array<string | number>) => {
		if (path.length > 0) targets.push({ path, value, expressions: dragExpressions(path, source) });
		if (Array.isArray(value)) value.forEach((entry, index) => visit(entry, [...path, index]));
		else if (value !== null && typeof value === 'object') {
			for (const [key, entry] of Object.entries(value)) visit(entry, [...path, key]);
		}
	};
	visit(stored, []);
	return targets;
}

/** The types of an Edit Fields (Set) assignment the editor picks from a dropped field's value. */
export type AssignmentType = 'string' | 'number' | 'boolean' | 'array' | 'object';

export interface DroppedAssignment {
	name: string;
	/** The dragged expression as a parameter value: `={{ … }}`. */
	value: string;
	type: AssignmentType;
}

/** mappingUtils.ts `unquote`. */
function unquote(text: string): string {
	if (text.startsWith('"') && text.endsWith('"')) return text.slice(1, -1).replace(/\\"/g, '"');
	if (text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/\\'/g, "'");
	return text;
}

/** mappingUtils.ts `propertyNameFromExpression`: the field's name, or its path below the root. */
function propertyNameFromExpression(expression: string): string {
	const path = expression.replace(/^{{\s*|\s*}}$/g, '').replace(/^(\$\(.*\)\.item\.json|\$json|\$node\[.*\]\.json)\.?(.*)/, '$2');
	return path.startsWith('[') && !path.slice(1).includes('[') ? unquote(path.slice(1, -1)) : path;
}

/** AssignmentCollection's `inferAssignmentType`, given the value the expression resolves to (null gives string). */
function inferAssignmentType(value: unknown): AssignmentType {
	if (typeof value === 'boolean') return 'boolean';
	if (typeof value === 'number') return 'number';
	if (typeof value === 'string') return 'string';
	if (Array.isArray(value)) return 'array';
	return value !== null && typeof value === 'object' ? 'object' : 'string';
}

/**
 * The assignment the editor adds when a field is dragged from the table or schema view (which
 * write the same expression) onto an Edit Fields (Set) node's "Drag input fields here"
 * (AssignmentCollection.vue `dropAssignment`, alike in 1.123.x, 2.8.x and 2.41.x): named after
 * the dragged path, set to the dragged expression, typed after its value.
 */
export function droppedAssignment({ value, expressions }: DragTarget): DroppedAssignment {
	const expression = expressions.table;
	return { name: propertyNameFromExpression(expression), value: `=${expression}`, type: inferAssignmentType(value) };
}
