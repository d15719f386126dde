// dpkg ordering checked against the real `dpkg --compare-versions` on this machine,
// over generated versions (a bounded number, so the test stays fast).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compareDpkg } from '../src/scan/version/dpkg.ts';
import { run } from './support/exec.ts';

// A small alphabet so that generated versions often share prefixes and collide.
const CHARS = ['0', '1', '2', '9', '00', '10', 'a', 'b', 'Z', '.', '+', '~'];
const fragment = fc.array(fc.constantFrom(...CHARS), { minLength: 0, maxLength: 5 }).map((parts) => parts.join(''));

// Valid per Debian Policy 5.6.12: the upstream part starts with a digit; a hyphen in it
// is allowed only when there is a revision.
const version = fc
  .record({
    epoch: fc.option(fc.constantFrom('0', '1', '2', '10'), { nil: undefined }),
    head: fc.constantFrom('0', '1', '2', '10'),
    upstream: fragment,
    revision: fc.option(fc.tuple(fc.constantFrom('0', '1', 'a', '~'), fragment), { nil: undefined }),
    hyphenated: fc.boolean(),
  })
  .map(({ epoch, head, upstream, revision, hyphenated }) => {
    let text = epoch === undefined ? '' : `${epoch}:`;
    text += head + upstream;
    if (revision !== undefined) text += `${hyphenated ? '-1' : ''}-${revision[0]}${revision[1]}`;
    return text;
  });

async function dpkgOrder(pairs: [string, string][]): Promise<number[]> {
  // One shell for all pairs: dpkg exits 0 when the relation holds.
  const script =
    'while read -r a b; do ' +
    'if dpkg --compare-versions "$a" lt "$b"; then echo -1; ' +
    'elif dpkg --compare-versions "$a" eq "$b"; then echo 0; else echo 1; fi; done';
  const input = pairs.map(([a, b]) => `${a} ${b}`).join('\n') + '\n';
  const { stdout } = await run('sh', ['-c', script], { input });
  return stdout.trim().split('\n').map(Number);
}

test('compareDpkg agrees with dpkg --compare-versions on generated versions', async () => {
  const seed = Date.now() % 2147483647;
  const pairs = fc.sample(fc.tuple(version, version), { numRuns: 300, seed });
  // Also compare each version with a close neighbour, where the subtle rules live.
  for (const [a] of pairs.slice(0, 100)) pairs.push([a, `${a}~`], [a, `${a}+`], [a, `${a}0`]);
  const expected = await dpkgOrder(pairs);
  assert.equal(expected.length, pairs.length);
  const mismatches = pairs
    .map(([a, b], i) => ({ a, b, dpkg: expected[i], ours: Math.sign(compareDpkg(a, b)) }))
    .filter((m) => m.dpkg !== m.ours);
  assert.deepEqual(mismatches, [], `seed ${seed}`);
});

test('compareDpkg table: epochs, tilde, revisions', () => {
  const cases: [string, '<' | '=' | '>', string][] = [
    ['1.0~rc1', '<', '1.0'],
    ['1.0~~', '<', '1.0~'],
    ['1.0', '<', '1.0+b1'],
    ['1:0.9', '>', '2.0'],
    ['0:1.0', '=', '1.0'],
    ['1.0-1', '=', '1.0-01'],
    ['1.0', '=', '1.0-0'],
    ['3.0.11-1~deb12u2', '<', '3.0.11-1~deb12u3'],
    ['3.0.11-1~deb12u2', '<', '3.0.11-1'],
    ['2.36-9+deb12u3', '>', '2.36-9'],
    ['1.2.13.dfsg-1', '<', '1:1.2.13.dfsg-1'],
    ['1.0a', '<', '1.0+'],
    ['1.0.', '>', '1.0'],
  ];
  for (const [a, op, b] of cases) {
    const expected = op === '<' ? -1 : op === '=' ? 0 : 1;
    assert.equal(Math.sign(compareDpkg(a, b)), expected, `${a} ${op} ${b}`);
  }
});
