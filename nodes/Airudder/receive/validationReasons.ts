import type { IDataObject } from 'n8n-workflow';
import type { z } from 'zod/v4';

import { pluralOf, type CallbackDefinition } from '../vocabulary/definition';
import { MAX_LISTED_PROBLEMS } from '../limits';

type Issue = z.core.$ZodIssue;
type Path = PropertyKey[];


/** Enough of a wrong value to recognise it, short enough for one line of an alert. */
const MAX_QUOTED_LENGTH = 40;

/**
 * A field as a person finds it in the callback: "duration of call 2 in details", counting list
 * entries from 1 and calling the entries of the list a callback splits by its item noun.
 */
function fieldName(definition: CallbackDefinition, path: Path): string {
	if (path.length === 0) return 'The body';
	let position = path.length - 1;
	while (position >= 0 && typeof path[position] !== 'number') position -= 1;
	if (position === -1) return path.map(String).join('.');
	const list = path.slice(0, position);
	const entryNoun = list.length === 1 && list[0] === definition.split?.field ? definition.itemNoun : 'entry';
	const entry = `${entryNoun} ${Number(path[position]) + 1} in ${fieldName(definition, list)}`;
	const inner = path.slice(position + 1);
	return inner.length === 0 ? entry : `${inner.map(String).join('.')} of ${entry}`;
}

function valueAt(payload: unknown, path: Path): unknown {
	let value = payload;
	for (const segment of path) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as Record<PropertyKey, unknown>)[segment];
	}
	return value;
}

/** What was sent, as the verb phrase after the field's name. */
function described(value: unknown): string {
	if (value === undefined) return 'is missing';
	if (value === null || value === '') return 'is empty';
	if (Array.isArray(value)) return 'is a list';
	if (typeof value === 'object') return 'is a JSON object';
	if (typeof value !== 'string') return `is ${String(value)}`;
	return `is ${JSON.stringify(value.length > MAX_QUOTED_LENGTH ? `${value.slice(0, MAX_QUOTED_LENGTH)}…` : value)}`;
}

/** A JSON type as a person names it; the list a callback splits is a list of its items. */
function kindOf(definition: CallbackDefinition, path: Path, type: string): string {
	switch (type) {
		case 'string':
			return 'text';
		case 'number':
			return 'a number';
		case 'boolean':
			return 'true or false';
		case 'object':
			return 'a JSON object';
		case 'array':
			return path.length === 1 && path[0] === definition.split?.field ? `a list of ${pluralOf(definition.itemNoun)}` : 'a list';
		default:
			return type;
	}
}

function sentence(definition: CallbackDefinition, payload: unknown, path: Path, expected: string): string {
	return `${fieldName(definition, path)} ${described(valueAt(payload, path))}: AIRudder should send ${expected}.`;
}

/** `path` is the issue's full path: inside a union, zod gives paths relative to the union. */
function issueSentence(definition: CallbackDefinition, payload: unknown, path: Path, issue: Issue): string {
	if (issue.code === 'invalid_type') return sentence(definition, payload, path, kindOf(definition, path, issue.expected));
	if (issue.code === 'invalid_value') {
		const values = issue.values.map((value) => JSON.stringify(value));
		return sentence(definition, payload, path, values.length === 1 ? values[0] : `one of ${values.join(', ')}`);
	}
	const forms = issue.code === 'invalid_union' ? issue.errors.filter((problems) => problems.length > 0) : [];
	if (forms.length > 0) {
		const kinds = forms.map(([only, ...others]) =>
			only.code === 'invalid_type' && only.path.length === 0 && others.length === 0 ? kindOf(definition, path, only.expected) : undefined,
		);
		if (kinds.every((kind) => kind !== undefined)) return sentence(definition, payload, path, [...new Set(kinds)].join(' or '));
		// The value has a right kind but none of the forms. Unions list specific forms before
		// general ones, so the form with the fewest problems, the later on a tie, is the one
		// AIRudder most likely meant, and its first problem says what to fix.
		const [first] = forms.reduce((closest, problems) => (problems.length <= closest.length ? problems : closest));
		return issueSentence(definition, payload, [...path, ...first.path], first);
	}
	return `${fieldName(definition, path)} ${described(valueAt(payload, path))}, which fails the check "${issue.message}".`;
}

interface ValidationProblems {
	/** One sentence per problem: the field, what was sent, what AIRudder should send. */
	reasons: string[];
	/** zod's own issues for the same problems, for developers. */
	issues: Issue[];
}

export function validationProblems(definition: CallbackDefinition, payload: unknown, issues: Issue[]): ValidationProblems {
	const listed = issues.slice(0, MAX_LISTED_PROBLEMS);
	const reasons = listed.map((issue) => issueSentence(definition, payload, issue.path, issue));
	if (issues.length > listed.length) reasons.push(`${issues.length - listed.length} more problems are not listed.`);
	return { reasons, issues: listed };
}

/** A core field the callback lacks or leaves empty although it passed validation. */
export function missingCoreField(definition: CallbackDefinition, payload: IDataObject, field: string): string {
	return `${field} ${described(payload[field])}: AIRudder should send it in every "${definition.vendorName.en}" callback.`;
}
