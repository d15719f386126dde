// Found by a review, fixed since: the glob compiler rebuilt a pattern holding a brace
// range from its tokens' raw text, so the `.` before the range reached the regular
// expression unescaped and matched any character: `1.{0..9}` became /^1.[0-9]$/ and made
// the build-number tags 100 … 199 (and 1-0, 1_0) mutable, so a moved immutable tag
// passed. Ranges are now expanded as bash expands them, a pattern the compiler would
// still rebuild is refused, and so is a `?` right after a group (read as a quantifier).
// A second review found `)?(` (bash's optional group) refused with it, `)+` still read as
// a repetition, and ranges past 2^53 rounded onto their neighbours; a third, that a brace
// list (or a range) followed by + was still read as a repetition. All fixed since.
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
    ['{1..5000}', /stands for more than 1000 names/],
    ['{a..Z}', /not a range of numbers or of letters of one case/],
  ];
  for (const [pattern, message] of refused) {
    await assert.rejects(compileTagPatterns(['latest', pattern]),
      (e: unknown) => e instanceof ImmutagError && e.code === 'INVALID_INPUT' && message.test(e.message) && e.hint !== '', pattern);
  }
});

test('an optional-suffix extglob ?(…) right after a group is a valid pattern, not refused', async () => {
  // `?(` opens bash's "zero or one" group; only a bare `)?` is the ambiguous one character.
  const matcher = await compileTagPatterns(['+([0-9]).+([0-9])?(-*)']);
  for (const tag of ['1.2', '1.2-rc1', '10.20-beta']) assert.equal(matcher.isMutable(tag), true, tag);
  for (const tag of ['1', '1.2.3', 'v1.2']) assert.equal(matcher.isMutable(tag), false, tag);
});

test('a + right after a group is refused: bash reads a + no tag holds, picomatch "one or more"', async () => {
  // bash: [[ 1 == @(1|v1)+ ]] is false; picomatch read (1|v1)+ and made 1, v1, 11 mutable.
  await assert.rejects(compileTagPatterns(['@(1|v1)+']),
    (e: unknown) => e instanceof ImmutagError && e.code === 'INVALID_INPUT' && /\+ right after a group/.test(e.message));
});

test('a range of 17-digit build numbers expands exactly (bash uses 64-bit integers)', async () => {
  // Timestamp tags (YYYYMMDDhhmmssSSS) are above 2^53: Number() rounds both bounds.
  const matcher = await compileTagPatterns(['{20261205020443121..20261205020443123}']);
  for (const tag of ['20261205020443120', '20261205020443124']) {
    assert.equal(matcher.isMutable(tag), false, `the range must not make ${tag} mutable`);
  }
  for (const tag of ['20261205020443121', '20261205020443122', '20261205020443123']) {
    assert.equal(matcher.isMutable(tag), true, tag);
  }
});

for (const pattern of ['{1,v1}+', '{1..3}+']) {
  test(`mutable-tags ${pattern}: refused, or matches no tag name (bash: a literal +)`, async () => {
    let matcher: Awaited<ReturnType<typeof compileTagPatterns>>;
    try {
      matcher = await compileTagPatterns([pattern]);
    } catch {
      return; // refused, as @(1|v1)+ is
    }
    for (const tag of ['1', 'v1', '11', '12', '123']) {
      assert.equal(matcher.isMutable(tag), false, `${pattern} made ${tag} mutable`);
    }
  });
}
