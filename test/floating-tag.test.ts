// Floating tags: a refused `latest`, `1` or `1.4` is a missing mutable-tags line, and
// the hint gives that line; a full version or a commit tag is never called floating.
// The suggested pattern is run through the real mutable-tags matcher: it must let the
// refused tag (and its siblings) move and never a full x.y.z version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { floatingTag, floatingTagHint } from '../src/floating-tag.ts';
import { compileTagPatterns } from '../src/tag-pattern.ts';
import { tagError, type GateTagResult } from '../src/gate.ts';
import { gateRows } from '../src/job/tag-report.ts';

const FLOATING: Array<[string, string, string[]]> = [
  // tag, pattern, other tags the same line lets move
  ['latest', 'latest', []],
  ['stable', 'stable', []],
  ['edge', 'edge', []],
  ['main', 'main', []],
  ['nightly', 'nightly', []],
  ['1', '+([0-9])', ['2', '12']],
  ['1.4', '+([0-9]).+([0-9])', ['1.5', '10.22']],
  ['v1', 'v+([0-9])', ['v2']],
  ['v1.4', 'v+([0-9]).+([0-9])', ['v3.0']],
  ['3.19-alpine', '+([0-9]).+([0-9])-alpine', ['3.20-alpine']],
  ['pr-12', 'pr-*', ['pr-2']],
];

for (const [tag, pattern, siblings] of FLOATING) {
  test(`${tag} looks floating; the line "${pattern}" lets it move, and never a full version`, async () => {
    assert.equal(floatingTag(tag)?.pattern, pattern);
    const hint = floatingTagHint(tag) ?? '';
    assert.ok(hint.endsWith(`add this line to mutable-tags: ${pattern}`), hint);
    const matcher = await compileTagPatterns([pattern]);
    for (const t of [tag, ...siblings]) assert.ok(matcher.isMutable(t), `${pattern} matches ${t}`);
    for (const t of ['1.4.0', 'v1.4.0', '1.4.0-alpine', 'sha-1a2b3c4', '2.0.8-beta.67']) {
      assert.equal(matcher.isMutable(t), false, `${pattern} must not make ${t} mutable`);
    }
  });
}

test('full versions and commit tags are not floating', () => {
  for (const tag of ['1.4.0', 'v1.4.0', '2.0.8-beta.67', 'sha-1a2b3c4', 'pr-x', 'feature-x', '20240101', 'latest-but-not', 'LATEST']) {
    assert.equal(floatingTag(tag), undefined, tag);
    assert.equal(floatingTagHint(tag), undefined, tag);
  }
});

function refusal(tag: string): GateTagResult {
  return {
    ref: { registry: 'ghcr.io', repository: 'acme/api', tag },
    tag: `ghcr.io/acme/api:${tag}`,
    state: { kind: 'present', digest: `sha256:${'a'.repeat(64)}`, mediaType: 'application/vnd.oci.image.index.v1+json', size: 500 },
    verdict: 'violation',
  };
}

test('the gate\'s refusal of a floating tag says so in its hint and in the report row; others keep the usual advice', () => {
  const floating = tagError(refusal('latest'));
  assert.equal(floating?.code, 'TAG_EXISTS');
  assert.match(floating?.hint ?? '', /floating tag .*add this line to mutable-tags: latest$/);
  const fixed = tagError(refusal('1.4.0'));
  assert.match(fixed?.hint ?? '', /^Bump the version/);

  const rows = gateRows([refusal('1.4'), refusal('1.4.0')], 'push');
  assert.match(rows[0]!.reason ?? '', /add this line to mutable-tags: \+\(\[0-9\]\)\.\+\(\[0-9\]\)$/);
  assert.equal(rows[1]!.reason, undefined);
});
