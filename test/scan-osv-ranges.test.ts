// OSV range evaluation (https://ossf.github.io/osv-schema/#evaluation) and ecosystem
// matching, as tables, then on real records from test/fixtures/osv/records.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ecosystemKey, ecosystemMatches, packageNameMatches } from '../src/scan/osv/ecosystem.ts';
import { evaluateRecord } from '../src/scan/osv/evaluate.ts';
import { type Evaluation, evaluateAffected } from '../src/scan/osv/ranges.ts';
import type { OsvAffected, OsvEvent, OsvRecord } from '../src/scan/osv/record.ts';
import { compareDpkg, compareSemver } from '../src/scan/version/index.ts';

function semverRange(...events: OsvEvent[]): OsvAffected {
  return { ranges: [{ type: 'SEMVER', events }] };
}

const RANGE_CASES: { name: string; affected: OsvAffected; version: string; want: Evaluation }[] = [
  { name: 'introduced 0, no fix: everything', affected: semverRange({ introduced: '0' }), version: '0.0.1', want: { verdict: 'affected' } },
  { name: 'before the fix', affected: semverRange({ introduced: '0' }, { fixed: '1.0.2' }), version: '1.0.1', want: { verdict: 'affected', fixed: '1.0.2' } },
  { name: 'the fix itself is not affected', affected: semverRange({ introduced: '0' }, { fixed: '1.0.2' }), version: '1.0.2', want: { verdict: 'unaffected' } },
  { name: 'pre-release of the fix is affected', affected: semverRange({ introduced: '0' }, { fixed: '1.0.2' }), version: '1.0.2-rc.1', want: { verdict: 'affected', fixed: '1.0.2' } },
  { name: 'before introduced', affected: semverRange({ introduced: '1.0.0' }, { fixed: '1.0.2' }), version: '0.9.9', want: { verdict: 'unaffected' } },
  { name: 'introduced is inclusive', affected: semverRange({ introduced: '1.0.0' }, { fixed: '1.0.2' }), version: '1.0.0', want: { verdict: 'affected', fixed: '1.0.2' } },
  {
    name: 'multiple intervals: second one',
    affected: semverRange({ introduced: '1.0.0' }, { fixed: '1.0.2' }, { introduced: '3.0.0' }, { fixed: '3.2.5' }),
    version: '3.1.0',
    want: { verdict: 'affected', fixed: '3.2.5' },
  },
  {
    name: 'multiple intervals: the gap',
    affected: semverRange({ introduced: '1.0.0' }, { fixed: '1.0.2' }, { introduced: '3.0.0' }, { fixed: '3.2.5' }),
    version: '2.0.0',
    want: { verdict: 'unaffected' },
  },
  {
    name: 'events out of order are sorted first',
    affected: semverRange({ fixed: '3.2.5' }, { introduced: '3.0.0' }, { fixed: '1.0.2' }, { introduced: '1.0.0' }),
    version: '1.0.1',
    want: { verdict: 'affected', fixed: '1.0.2' },
  },
  { name: 'last_affected is inclusive', affected: semverRange({ introduced: '0' }, { last_affected: '2.1.214' }), version: '2.1.214', want: { verdict: 'affected' } },
  { name: 'above last_affected', affected: semverRange({ introduced: '0' }, { last_affected: '2.1.214' }), version: '2.1.215', want: { verdict: 'unaffected' } },
  { name: 'below limit', affected: semverRange({ introduced: '1.0.0' }, { limit: '2.0.0' }), version: '1.5.0', want: { verdict: 'affected' } },
  { name: 'at limit', affected: semverRange({ introduced: '1.0.0' }, { limit: '2.0.0' }), version: '2.0.0', want: { verdict: 'unaffected' } },
  { name: 'limit *', affected: semverRange({ introduced: '1.0.0' }, { limit: '*' }), version: '99.0.0', want: { verdict: 'affected' } },
  { name: 'any of several limits', affected: semverRange({ introduced: '0' }, { limit: '1.0.0' }, { limit: '3.0.0' }), version: '2.0.0', want: { verdict: 'affected' } },
  { name: 'versions list only', affected: { versions: ['1.2.3', '1.2.4'] }, version: '1.2.4', want: { verdict: 'affected' } },
  { name: 'not in versions list', affected: { versions: ['1.2.3'] }, version: '1.2.5', want: { verdict: 'unaffected' } },
  {
    name: 'versions list with a fix elsewhere: fix reported',
    affected: { versions: ['1.2.3'], ranges: [{ type: 'SEMVER', events: [{ introduced: '2.0.0' }, { fixed: '2.0.1' }] }] },
    version: '1.2.3',
    want: { verdict: 'affected', fixed: '2.0.1' },
  },
  {
    name: 'multiple ranges: lowest fix above wins',
    affected: {
      ranges: [
        { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.9.0' }] },
        { type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.5.0' }] },
      ],
    },
    version: '1.2.0',
    want: { verdict: 'affected', fixed: '1.5.0' },
  },
  {
    name: 'GIT ranges name commits and are skipped',
    affected: { ranges: [{ type: 'GIT', repo: 'https://example.invalid/r', events: [{ introduced: '0' }, { fixed: 'abc123' }] }] },
    version: '1.0.0',
    want: { verdict: 'unaffected' },
  },
];

test('evaluateAffected follows the OSV evaluation pseudocode', () => {
  for (const c of RANGE_CASES) assert.deepEqual(evaluateAffected(c.affected, c.version, compareSemver), c.want, c.name);
});

test('without an ordering only the versions list decides; ranges make it unknown', () => {
  assert.deepEqual(evaluateAffected({ versions: ['1.0'] }, '1.0', undefined), { verdict: 'affected' });
  assert.deepEqual(evaluateAffected(semverRange({ introduced: '0' }), '1.0', undefined), { verdict: 'unknown' });
  assert.deepEqual(evaluateAffected({ versions: ['1.0'] }, '2.0', undefined), { verdict: 'unaffected' });
});

test('ECOSYSTEM ranges use the ecosystem ordering (dpkg tilde)', () => {
  const affected: OsvAffected = { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }] }] };
  assert.deepEqual(evaluateAffected(affected, '3.0.11-1~deb12u1', compareDpkg), { verdict: 'affected', fixed: '3.0.11-1~deb12u2' });
  assert.deepEqual(evaluateAffected(affected, '3.0.11-1', compareDpkg), { verdict: 'unaffected' });
});

test('ecosystem strings: releases, Alpine v prefix, Ubuntu LTS and Pro', () => {
  const cases: [string, string, boolean][] = [
    ['Debian:12', 'Debian:12', true],
    ['Debian:11', 'Debian:12', false],
    ['Debian', 'Debian:12', true],
    ['Debian:12', 'Debian', true],
    ['Debian:12', 'Debian:12.5', true],
    ['Alpine:v3.19', 'Alpine:v3.19', true],
    ['Alpine:v3.19', 'Alpine:3.19', true],
    ['Alpine:v3.19', 'Alpine:v3.19.1', true],
    ['Alpine:v3.18', 'Alpine:v3.19', false],
    ['Ubuntu:22.04:LTS', 'Ubuntu:22.04:LTS', true],
    ['Ubuntu:22.04:LTS', 'Ubuntu:22.04', true],
    // A fix only Ubuntu Pro ships: the release's own package is affected all the same.
    ['Ubuntu:Pro:22.04:LTS', 'Ubuntu:22.04:LTS', true],
    ['Ubuntu:Pro:20.04:LTS', 'Ubuntu:20.04', true],
    // Other builds (FIPS, Realtime) have versions of their own.
    ['Ubuntu:Pro:FIPS-updates:20.04:LTS', 'Ubuntu:20.04:LTS', false],
    ['Ubuntu:Pro:22.04:LTS', 'Ubuntu:20.04:LTS', false],
    ['Ubuntu:20.04:LTS', 'Ubuntu:22.04:LTS', false],
    ['npm', 'npm', true],
    ['npm', 'PyPI', false],
    ['Debian:12', 'Ubuntu:22.04:LTS', false],
  ];
  for (const [record, pkg, want] of cases) assert.equal(ecosystemMatches(record, pkg), want, `${record} vs ${pkg}`);
  assert.equal(ecosystemKey('Alpine:3.19'), 'Alpine:v3.19');
  assert.equal(packageNameMatches('PyPI', 'flask-cors', 'Flask_CORS'), true);
  assert.equal(packageNameMatches('npm', 'Left-Pad', 'left-pad'), false);
});

function record(path: string): OsvRecord {
  return JSON.parse(readFileSync(new URL(`./fixtures/osv/records/${path}`, import.meta.url), 'utf8')) as OsvRecord;
}

test('real records: verdict and fixed version per installed version', () => {
  const cases: { file: string; ecosystem: string; name: string; version: string; want: Evaluation }[] = [
    // Debian DLA, introduced 0 + fixed, with a versions list.
    { file: 'Debian/DLA-3008-1.json', ecosystem: 'Debian:9', name: 'openssl', version: '1.1.0l-1~deb9u5', want: { verdict: 'affected', fixed: '1.1.0l-1~deb9u6' } },
    { file: 'Debian/DLA-3008-1.json', ecosystem: 'Debian:9', name: 'openssl', version: '1.1.0l-1~deb9u6', want: { verdict: 'unaffected' } },
    { file: 'Debian/DLA-3008-1.json', ecosystem: 'Debian:10', name: 'openssl', version: '1.1.0l-1~deb9u5', want: { verdict: 'unaffected' } },
    { file: 'Debian/DLA-3022-1.json', ecosystem: 'Debian:9', name: 'dpkg', version: '1.18.25', want: { verdict: 'affected', fixed: '1.18.26' } },
    // Alpine: one affected entry per release branch, each with its own fix.
    { file: 'Alpine/ALPINE-CVE-2025-26519.json', ecosystem: 'Alpine:v3.18', name: 'musl', version: '1.2.4-r2', want: { verdict: 'affected', fixed: '1.2.4-r3' } },
    { file: 'Alpine/ALPINE-CVE-2025-26519.json', ecosystem: 'Alpine:v3.19', name: 'musl', version: '1.2.4_git20230717-r4', want: { verdict: 'affected', fixed: '1.2.4_git20230717-r5' } },
    { file: 'Alpine/ALPINE-CVE-2025-26519.json', ecosystem: 'Alpine:v3.19', name: 'musl', version: '1.2.4_git20230717-r5', want: { verdict: 'unaffected' } },
    { file: 'Alpine/ALPINE-CVE-2025-26519.json', ecosystem: 'Alpine:v3.18', name: 'musl', version: '0.9.12-r0', want: { verdict: 'unaffected' } },
    // GHSA with a SEMVER range.
    { file: 'npm/GHSA-whgm-jr23-g3j9.json', ecosystem: 'npm', name: 'ansi-html', version: '0.0.7', want: { verdict: 'affected', fixed: '0.0.8' } },
    { file: 'npm/GHSA-whgm-jr23-g3j9.json', ecosystem: 'npm', name: 'ansi-html', version: '0.0.8', want: { verdict: 'unaffected' } },
    // PyPI with three intervals in one range; the name as installed differs in case.
    { file: 'PyPI/PYSEC-2021-98.json', ecosystem: 'PyPI', name: 'Django', version: '3.1.5', want: { verdict: 'affected', fixed: '3.1.12' } },
    { file: 'PyPI/PYSEC-2021-98.json', ecosystem: 'PyPI', name: 'django', version: '3.1.12', want: { verdict: 'unaffected' } },
    { file: 'PyPI/PYSEC-2021-98.json', ecosystem: 'PyPI', name: 'django', version: '2.2.3', want: { verdict: 'affected', fixed: '2.2.24' } },
    // A GIT range next to the ECOSYSTEM one: only the latter counts.
    { file: 'PyPI/PYSEC-2023-62.json', ecosystem: 'PyPI', name: 'flask', version: '2.2.4', want: { verdict: 'affected', fixed: '2.2.5' } },
    { file: 'PyPI/PYSEC-2023-62.json', ecosystem: 'PyPI', name: 'flask', version: '2.2.5', want: { verdict: 'unaffected' } },
    { file: 'PyPI/PYSEC-2020-43.json', ecosystem: 'PyPI', name: 'Flask-Cors', version: '3.0.8', want: { verdict: 'affected', fixed: '3.0.9' } },
    // Ubuntu USN: LTS spelling, and no match on another release.
    { file: 'Ubuntu/USN-7412-1.json', ecosystem: 'Ubuntu:22.04:LTS', name: 'gnupg2', version: '2.2.27-3ubuntu2.1', want: { verdict: 'affected', fixed: '2.2.27-3ubuntu2.3' } },
    { file: 'Ubuntu/USN-7412-1.json', ecosystem: 'Ubuntu:22.04:LTS', name: 'gnupg2', version: '2.2.27-3ubuntu2.3', want: { verdict: 'unaffected' } },
    { file: 'Ubuntu/USN-7412-1.json', ecosystem: 'Ubuntu:22.10', name: 'gnupg2', version: '2.2.27-3ubuntu2.1', want: { verdict: 'unaffected' } },
  ];
  for (const c of cases) {
    assert.deepEqual(evaluateRecord(record(c.file), c), c.want, `${c.file} ${c.ecosystem} ${c.name} ${c.version}`);
  }
});

test('a withdrawn record affects nothing', () => {
  const withdrawn = { ...record('npm/GHSA-whgm-jr23-g3j9.json'), withdrawn: '2024-01-01T00:00:00Z' };
  assert.deepEqual(evaluateRecord(withdrawn, { ecosystem: 'npm', name: 'ansi-html', version: '0.0.7' }), { verdict: 'unaffected' });
});
