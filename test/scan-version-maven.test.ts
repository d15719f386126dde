// Maven's ComparableVersion order, checked with the vectors Maven's own
// ComparableVersionTest publishes (apache/maven, maven-artifact), as of Maven 3.9.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareMaven } from '../src/scan/version/maven.ts';
import { comparatorFor } from '../src/scan/version/index.ts';
import { run } from './support/exec.ts';

/** Debian's maven-artifact (libmaven3-core-java): ComparableVersion's own main compares consecutive arguments. */
const MAVEN_ARTIFACT = '/usr/share/maven-repo/org/apache/maven/maven-artifact/3.x/maven-artifact-3.x.jar';

const QUALIFIERS = [
  '1-alpha2snapshot', '1-alpha2', '1-alpha-123', '1-beta-2', '1-beta123', '1-m2', '1-m11', '1-rc', '1-cr2', '1-rc123', '1-SNAPSHOT',
  '1', '1-sp', '1-sp2', '1-sp123', '1-abc', '1-def', '1-pom-1', '1-1-snapshot', '1-1', '1-2', '1-123',
];
const NUMBERS = [
  '2.0', '2.0.a', '2-1', '2.0.2', '2.0.123', '2.1.0', '2.1-a', '2.1b', '2.1-c', '2.1-1', '2.1.0.1', '2.2', '2.123',
  '11.a2', '11.a11', '11.b2', '11.b11', '11.m2', '11.m11', '11', '11.a', '11b', '11c', '11m',
];
const EQUAL = [
  ['1', '1.0', '1.0.0', '1-0', '1.0-0', '1-ga', '1.0-ga', '1-final', '1-release', '1.0.0-GA'],
  ['1a1', '1-a1', '1-alpha-1', '1alpha1', '1.alpha1', '1-ALPHA-1'],
  ['1b2', '1-b2', '1-beta-2', '1beta2', '1.beta2'],
  ['1m3', '1-m3', '1-milestone-3', '1milestone3', '1.milestone3'],
  ['1rc', '1cr', '1-rc', '1-cr', '1.rc', '1RC'],
  ['1x', '1-x', '1.x', '1X'],
];

function ascending(list: string[]): void {
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      assert.equal(compareMaven(list[i]!, list[j]!), -1, `${list[i]} < ${list[j]}`);
      assert.equal(compareMaven(list[j]!, list[i]!), 1, `${list[j]} > ${list[i]}`);
    }
  }
}

test('qualifiers: alpha, beta, milestone, rc, snapshot, release, sp, then unknown ones, then sub-lists', () => ascending(QUALIFIERS));
test('numbers: numerically, a qualifier before the number at its place', () => ascending(NUMBERS));
test('trailing zeros, release aliases and the one-letter shorthands are the same version', () => {
  for (const group of EQUAL) for (const v of group) assert.equal(compareMaven(group[0]!, v), 0, `${group[0]} = ${v}`);
});
test('versions as Maven Central has them', () => {
  ascending(['2.9.10.8', '2.12.7', '2.12.7.1', '2.13.4', '2.13.4.1', '2.13.4.2', '2.14.0-rc1', '2.14.0', '2.14.1', '2.15.0']);
  ascending(['4.9.9.RELEASE', '5.0.0.M1', '5.0.0.RC1', '5.0.0.RELEASE', '5.0.1.RELEASE']);
  ascending(['31.1-android', '31.1-jre', '32.0.0-android', '32.0.0-jre']);
  assert.equal(compareMaven('1.0.0.123456789012345678901234567890', '1.0.0.123456789012345678901234567891'), -1);
  assert.equal(comparatorFor('Maven'), compareMaven);
});

test('agrees with Maven itself (Debian\'s maven-artifact ComparableVersion) on every pair of a mixed list', async () => {
  const versions = [...new Set([...QUALIFIERS, ...NUMBERS, ...EQUAL.flat(), '2.14.0-rc1', '2.13.4.2', '5.0.0.RELEASE', '5.0.0.M1', '32.0.0-jre',
    '1.0-SNAPSHOT', '1.0.0-SNAPSHOT', '1-0.3', '1.foo-1', '1--1', '0-1', '1.0.0.a', '1.0.a1', '1-sp-1', '1.0-alpha', '1.0.RC1', '1.0-RC2'])];
  // Every ordered pair, as consecutive arguments: a, b, a, c, …
  const sequence = versions.flatMap((a) => versions.flatMap((b) => [a, b]));
  const { stdout } = await run('java', ['-cp', MAVEN_ARTIFACT, 'org.apache.maven.artifact.versioning.ComparableVersion', ...sequence]);
  const results = [...stdout.matchAll(/^ {3}(\S+) (<|>|==) (\S+)$/gm)];
  assert.equal(results.length, sequence.length - 1);
  let checked = 0;
  for (let i = 0; i < sequence.length; i += 2) {
    const [, a, op, b] = results[i]!;
    assert.equal(a, sequence[i]);
    assert.equal(b, sequence[i + 1]);
    assert.equal(compareMaven(a!, b!), { '<': -1, '==': 0, '>': 1 }[op!], `${a} ${op} ${b}`);
    checked++;
  }
  assert.equal(checked, versions.length ** 2);
});
