// Version ordering against published vectors: the *-generated files were produced by
// the real tools (dpkg, apk-tools, Python packaging, rpm) over versions found in real
// advisories (rpm: over generated EVRs); the others are hand-written edge cases. See test/fixtures/osv/versions/README.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  type Comparator,
  compareApk,
  compareDpkg,
  comparePep440,
  compareRpm,
  compareSemver,
} from '../src/scan/version/index.ts';
import { isValidApkVersion } from '../src/scan/version/apk.ts';

interface Vector {
  line: number;
  a: string;
  op: '<' | '=' | '>';
  b: string;
}

function readVectors(name: string): Vector[] {
  const text = readFileSync(new URL(`./fixtures/osv/versions/${name}`, import.meta.url), 'utf8');
  const vectors: Vector[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('//')) return;
    const [a, op, b, ...rest] = line.split(' ');
    assert.ok(a && b && (op === '<' || op === '=' || op === '>') && rest.length === 0, `${name}:${index + 1}: ${line}`);
    vectors.push({ line: index + 1, a, op, b });
  });
  return vectors;
}

const EXPECTED = { '<': -1, '=': 0, '>': 1 } as const;

function failures(vectors: Vector[], compare: Comparator): string[] {
  const out: string[] = [];
  for (const v of vectors) {
    const forward = Math.sign(compare(v.a, v.b));
    const backward = Math.sign(compare(v.b, v.a));
    // Check both directions: an ordering must be antisymmetric.
    if (forward !== EXPECTED[v.op] || backward !== -EXPECTED[v.op]) {
      out.push(`line ${v.line}: ${v.a} ${v.op} ${v.b} (got ${forward}/${backward})`);
    }
  }
  return out;
}

const TABLE: { file: string; compare: Comparator; minimum: number }[] = [
  { file: 'debian-versions-generated.txt', compare: compareDpkg, minimum: 14000 },
  { file: 'debian-versions.txt', compare: compareDpkg, minimum: 25 },
  { file: 'alpine-versions-generated.txt', compare: compareApk, minimum: 13000 },
  { file: 'pypi-versions-generated.txt', compare: comparePep440, minimum: 12000 },
  { file: 'pypi-versions.txt', compare: comparePep440, minimum: 30 },
  { file: 'redhat-versions.txt', compare: compareRpm, minimum: 160 },
  { file: 'redhat-versions-generated.txt', compare: compareRpm, minimum: 3800 },
  { file: 'semver-versions.txt', compare: compareSemver, minimum: 80 },
];

for (const { file, compare, minimum } of TABLE) {
  test(`${file}: every published pair orders as the real tool does`, () => {
    const vectors = readVectors(file);
    assert.ok(vectors.length >= minimum, `only ${vectors.length} vectors read`);
    assert.deepEqual(failures(vectors, compare), []);
  });
}

// The hand-written Alpine file also covers malformed versions, on which apk-tools 2.x
// (shipped by Alpine 3.x, whose ordering immutag follows) and apk-tools 3 disagree;
// the file notes several of those lines as version-dependent. Versions in the
// documented grammar (apk-package(5)) must all agree.
const APK_GRAMMAR = /^\d+(\.\d+)*[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*(-r\d+)?$/;

test('alpine-versions.txt: every pair of well-formed versions orders as apk does', () => {
  const vectors = readVectors('alpine-versions.txt');
  const valid = vectors.filter((v) => APK_GRAMMAR.test(v.a) && APK_GRAMMAR.test(v.b));
  assert.ok(valid.length >= 700, `only ${valid.length} valid pairs`);
  assert.ok(vectors.length - valid.length <= 60, 'most vectors are well-formed');
  assert.deepEqual(failures(valid, compareApk), []);
});

test('isValidApkVersion accepts what apk-tools 2.x accepts', () => {
  const cases: [string, boolean][] = [
    ['1.2.3-r0', true],
    ['7.4p1-r0', true],
    ['1.2.4_git20230717-r5', true],
    ['2.12r-r4', true],
    ['1.0_foo', false],
    ['1-x', false],
    ['1.2A', false],
  ];
  for (const [version, valid] of cases) assert.equal(isValidApkVersion(version), valid, version);
});
