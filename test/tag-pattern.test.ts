import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTagPatterns, parseTagPatterns } from '../src/tag-pattern.ts';
import { ImmutagError } from '../src/errors.ts';

test('mutable-tags input splits on newlines and commas, not inside braces', () => {
  assert.deepEqual(parseTagPatterns('latest\npr-*, *-dev\n\n{alpha,beta}-*\nlatest'), ['latest', 'pr-*', '*-dev', '{alpha,beta}-*']);
  assert.deepEqual(parseTagPatterns(''), []);
});

test('patterns match tag names', () => {
  const matcher = compileTagPatterns(['latest', 'pr-*', '*-dev', '{alpha,beta}-*', 'v[0-9]']);
  const cases: Array<[string, string | undefined]> = [
    ['latest', 'latest'],
    ['Latest', undefined],
    ['latest2', undefined],
    ['pr-12', 'pr-*'],
    ['pr-', 'pr-*'],
    ['xpr-12', undefined],
    ['1.0-dev', '*-dev'],
    ['1.0-dev-1', undefined],
    ['alpha-3', '{alpha,beta}-*'],
    ['gamma-3', undefined],
    ['v7', 'v[0-9]'],
    ['v10', undefined],
    ['1.4.0', undefined],
  ];
  for (const [tag, pattern] of cases) {
    assert.equal(matcher.matchingPattern(tag), pattern, tag);
    assert.equal(matcher.isMutable(tag), pattern !== undefined, tag);
  }
});

test('no patterns: every tag is immutable', () => {
  assert.equal(compileTagPatterns([]).isMutable('latest'), false);
});

test('a whole reference as a pattern is refused with a hint', () => {
  for (const p of ['ghcr.io/acme/api:latest', 'api:latest', 'acme/*']) {
    assert.throws(() => compileTagPatterns([p]), (e: unknown) => e instanceof ImmutagError && e.code === 'INVALID_INPUT' && /tag name only/.test(e.hint));
  }
});
