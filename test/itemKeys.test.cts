import { itemKeyAmong, itemKeyOf } from '../nodes/Airudder/values';

/**
 * The names items give AIRudder's keys: a key n8n drops between nodes, or that the expression
 * sandbox of a supported n8n refuses when the editor writes it on drag, gets a name that works
 * everywhere; every other key keeps its own. The drag spec (test/e2e/dragMapping.e2e.cts) checks
 * these names against each runtime's own n8n-workflow.
 */
describe('the name an item gives a key', () => {
	it.each([
		['callee', 'callee_number', 'n8n refuses'],
		['caller', 'caller_number', 'n8n refuses'],
		['arguments', 'field_arguments', 'n8n refuses'],
		['binding', 'field_binding', 'n8n refuses'],
		['__proto__', 'field___proto__', 'n8n drops'],
		['constructor', 'field_constructor', 'n8n drops'],
		['prototype', 'field_prototype', 'n8n drops'],
		// Written after a dot: `$json.constructorId`.
		['constructorId', 'field_constructorId', 'is dragged as .constructorId'],
		['constructor_name', 'field_constructor_name', 'is dragged as .constructor_name'],
		// Written in brackets, with the dot inside the quotes: `$json['a.constructor']`.
		['a.constructor', 'field_a_constructor', 'has ".constructor" in it'],
		['meta.constructorName', 'field_meta_constructorName', 'has ".constructor" in it'],
		['a. constructor', 'field_a_ constructor', 'has ". constructor" in it'],
		['a..constructor', 'field_a._constructor', 'has ".constructor" in it'],
	])('%s is %s: %s', (key, name) => {
		expect(itemKeyOf(key)).toBe(name);
	});

	it('callee holding the contact object is contact', () => {
		expect(itemKeyOf('callee', true)).toBe('contact');
	});

	it.each(['constructor id', 'constructor-id', 'a_constructor', 'theConstructor', 'a.Constructor', 'callee_number', 'Callee', 'calleeId', 'field_constructor'])(
		'%s, which every supported n8n takes, keeps its name',
		(key) => {
			expect(itemKeyOf(key)).toBe(key);
		},
	);

	it('is field_<name> where the readable name is taken already by a sibling', () => {
		expect(itemKeyAmong('callee', { callee: '+62', callee_number: '+63' })).toBe('field_callee');
		expect(itemKeyAmong('callee', { callee: '+62' })).toBe('callee_number');
		expect(itemKeyAmong('a.constructor', { 'a.constructor': 1, field_a_constructor: 2 })).toBe('field_a_constructor');
	});
});
