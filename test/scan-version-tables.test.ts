// Hand-picked ordering cases per ecosystem, beyond the published vectors: the rules
// that decide real advisories (normalisation, pre-releases, tilde/caret, epochs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Comparator, comparatorFor, compareApk, comparePep440, compareRpm, compareSemver } from '../src/scan/version/index.ts';

type Case = [string, '<' | '=' | '>', string];

function check(compare: Comparator, cases: Case[]): void {
  for (const [a, op, b] of cases) {
    const want = op === '<' ? -1 : op === '=' ? 0 : 1;
    assert.equal(Math.sign(compare(a, b)), want, `${a} ${op} ${b}`);
    assert.equal(Math.sign(compare(b, a)), want === 0 ? 0 : -want, `${b} vs ${a}`);
  }
}

test('PEP 440: normalisation, pre/post/dev releases, epochs, local versions', () => {
  check(comparePep440, [
    ['1.0', '=', '1.0.0'],
    ['v1.0', '=', '1.0'],
    ['1.0RC1', '=', '1.0rc1'],
    ['1.0-rc.1', '=', '1.0rc1'],
    ['1.0c1', '=', '1.0rc1'],
    ['1.0alpha1', '=', '1.0a1'],
    ['1.0-post1', '=', '1.0.post1'],
    ['1.0-1', '=', '1.0.post1'],
    ['1.0.dev', '=', '1.0.dev0'],
    ['1.0.dev1', '<', '1.0a1'],
    ['1.0a1', '<', '1.0b1'],
    ['1.0b1', '<', '1.0rc1'],
    ['1.0rc1', '<', '1.0'],
    ['1.0', '<', '1.0.post1'],
    ['1.0.post1.dev1', '<', '1.0.post1'],
    ['1.0a1.post1', '>', '1.0a1'],
    ['1!0.1', '>', '2.0'],
    ['1.0+ubuntu.1', '>', '1.0'],
    ['1.0+1', '>', '1.0+abc'],
    ['1.0+ABC', '=', '1.0+abc'],
    ['2.2.24', '>', '2.2.3'],
    ['not a version', '<', '0.0.1'],
  ]);
});

test('SemVer: pre-release precedence, build metadata, npm-style v prefix', () => {
  check(compareSemver, [
    ['1.0.0-alpha', '<', '1.0.0-alpha.1'],
    ['1.0.0-alpha.1', '<', '1.0.0-alpha.beta'],
    ['1.0.0-beta.2', '<', '1.0.0-beta.11'],
    ['1.0.0-rc.1', '<', '1.0.0'],
    ['1.0.0+build.1', '=', '1.0.0+build.2'],
    ['v2.0.0', '=', '2.0.0'],
    ['1.10.0', '>', '1.9.0'],
    ['0.0.8', '>', '0.0.7'],
  ]);
});

test('RPM: epochs, tilde and caret, releases', () => {
  check(compareRpm, [
    ['1:1.0-1', '>', '2.0-1'],
    ['1.0~rc1-1', '<', '1.0-1'],
    ['1.0^git1-1', '>', '1.0-1'],
    ['1.0^git1-1', '<', '1.0.1-1'],
    ['3.0.7-18.el9', '<', '3.0.7-24.el9'],
    ['3.0.7-24.el9', '<', '3.0.7-24.el9_2'],
    ['2.28-225.el8', '>', '2.28-211.el8'],
    ['1.0a', '>', '1.0'],
  ]);
});

test('apk: suffixes, letters, revisions', () => {
  check(compareApk, [
    ['1.2.4-r2', '<', '1.2.4-r3'],
    ['1.2.4_git20230717-r4', '<', '1.2.4_git20230717-r5'],
    ['1.2.4_git20230717-r5', '>', '1.2.4-r3'],
    ['1.2.5_rc1-r0', '<', '1.2.5-r0'],
    ['1.2.5_p1-r0', '>', '1.2.5-r10'],
    ['3.1.7-r0', '<', '3.1.8-r0'],
    ['7.4p1-r0', '<', '7.5p1-r0'],
    ['1.0a', '>', '1.0'],
  ]);
});

test('comparatorFor maps OSV ecosystems to their orderings', () => {
  const cases: [string, string | undefined][] = [
    ['Debian:12', 'compareDpkg'],
    ['Ubuntu:22.04:LTS', 'compareDpkg'],
    ['Alpine:v3.19', 'compareApk'],
    ['Red Hat:enterprise_linux:9::baseos', 'compareRpm'],
    ['npm', 'compareSemver'],
    ['PyPI', 'comparePep440'],
    ['Maven', 'compareMaven'],
    ['RubyGems', 'compareRubyGems'],
    ['Packagist', 'comparePackagist'],
    ['NuGet', 'compareNuGet'],
    ['Go', 'compareSemver'],
    ['crates.io', 'compareSemver'],
    ['Pub', undefined],
  ];
  for (const [ecosystem, name] of cases) assert.equal(comparatorFor(ecosystem)?.name, name, ecosystem);
});
