// Found by a review, fixed since: the glob compiler rebuilt a pattern holding a brace
// range from its tokens' raw text, so the `.` before the range reached the regular
// expression unescaped and matched any character: `1.{0..9}` became /^1.[0-9]$/ and made
// the build-number tags 100 … 199 (and 1-0, 1_0) mutable, so a moved immutable tag
// passed. Ranges are now expanded as bash expands them, a pattern the compiler would
// still rebuild is refused, and so is a `?` right after a group (read as a quantifier).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTags } from '../src/gate.ts';
import { compileTagPatterns } from '../src/tag-pattern.ts';
import { ImmutagError } from '../src/errors.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { registryFor } from './support/registry.ts';
import { clientFor, refs } from './support/registry-client.ts';

test('1.{0..9} matches 1.0 … 1.9 and no tag without that dot', async () => {
  const matcher = await compileTagPatterns(['1.{0..9}']);
  for (const tag of ['1.0', '1.4', '1.9']) assert.equal(matcher.isMutable(tag), true, tag);
  for (const tag of ['100', '123', '199', '1-0', '1_0']) {
    assert.equal(matcher.isMutable(tag), false, `1.{0..9} must not make ${tag} mutable`);
  }
  const v = await compileTagPatterns(['v1.{0..9}']);
  assert.equal(v.isMutable('v1.2'), true);
  assert.equal(v.isMutable('v102'), false, 'v1.{0..9} must not make v102 mutable');
});

test('with mutable-tags 1.{0..9}, build tag 123 already at another digest is a violation', async (t) => {
  const reg = await registryFor(t);
  const theirs = await buildImage({ files: { '/which': 'range theirs\n' } });
  const { client, logger } = clientFor(reg);
  t.after(async () => {
    await client.close();
    await removeLayout(theirs);
  });
  await pushImage(reg, theirs.ociRef, 'range/app:123');
  const gate = await checkTags({ refs: refs(reg.host, 'range/app:123'), client, logger, mutablePatterns: ['1.{0..9}'], expectedDigest: `sha256:${'1'.repeat(64)}` });
  assert.equal(gate.results[0]?.state.kind, 'present');
  assert.equal(gate.results[0]?.verdict, 'violation');
  assert.equal(gate.result, 'violation');
});

// The same compiler turns a range of numbers wider than one digit into a character
// class of its digits: `v{10..12}` became /^v[10-12]$/ ("v" and one of 0, 1, 2), which
// matched v1 and v2 (tags the list never named) and not v10, v11 or v12.
test('v{10..12} matches v10, v11 and v12, and not v0, v1 or v2', async () => {
  const matcher = await compileTagPatterns(['v{10..12}']);
  for (const tag of ['v0', 'v1', 'v2']) assert.equal(matcher.isMutable(tag), false, `v{10..12} must not make ${tag} mutable`);
  for (const tag of ['v10', 'v11', 'v12']) assert.equal(matcher.isMutable(tag), true, tag);
});

test('ranges expand as bash expands them: padded, stepped, letters, one name', async () => {
  const cases: [string, string[], string[]][] = [
    ['{08..10}', ['08', '09', '10'], ['8', '9', '010']],
    ['{1..9..3}', ['1', '4', '7'], ['2', '9']],
    ['r{a..c}', ['ra', 'rb', 'rc'], ['rd', 'rA']],
    ['x{5..5}', ['x5'], ['x4', 'x{5..5}']],
    ['{0..2}.{0..1}', ['0.0', '2.1'], ['0.2', '3.0', '201']],
  ];
  for (const [pattern, yes, no] of cases) {
    const matcher = await compileTagPatterns([pattern]);
    for (const tag of yes) assert.equal(matcher.isMutable(tag), true, `${pattern} ${tag}`);
    for (const tag of no) assert.equal(matcher.isMutable(tag), false, `${pattern} ${tag}`);
  }
});

test('patterns the compiler cannot read exactly are refused, never matched loosely', async () => {
  const refused: [string, RegExp][] = [
    ['1.+(*(0))', /cannot read exactly/],
    ['+([0-9])?', /\? right after a group/],
    ['{1..5000}', /stands for 5000 names/],
    ['{a..Z}', /not a range of numbers or of letters of one case/],
  ];
  for (const [pattern, message] of refused) {
    await assert.rejects(compileTagPatterns(['latest', pattern]),
      (e: unknown) => e instanceof ImmutagError && e.code === 'INVALID_INPUT' && message.test(e.message) && e.hint !== '', pattern);
  }
});
