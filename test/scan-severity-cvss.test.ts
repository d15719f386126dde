import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cvss2BaseScore, cvss3BaseScore, cvssBaseScore, roundUp30, roundUp31 } from '../src/scan/cvss.ts';
import { cvss4BaseScore } from '../src/scan/cvss4.ts';
import { ratingForScore } from '../src/scan/severity.ts';

// Published scores: the FIRST specification examples and NVD's values for real CVEs.
const V3: [vector: string, score: number, where: string][] = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0, 'NVD CVE-2021-44228'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'NVD CVE-2019-18224'],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8, 'NVD CVE-2019-18276'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N', 9.1, 'GHSA-838r-hvwh-24h8 / CVE-2021-38555'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', 5.3, 'NVD CVE-2019-1549'],
  ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L', 5.6, 'Red Hat CVE-2019-18224'],
  ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N', 5.9, 'NVD CVE-2017-6507'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'FIRST example CVE-2013-1937'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9, 'FIRST example CVE-2012-1516'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8, 'FIRST example CVE-2012-0384'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1, 'FIRST example CVE-2014-3566'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N', 7.4, 'FIRST example CVE-2014-0224'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', 9.6, 'FIRST example CVE-2012-5376'],
  ['CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 4.2, 'FIRST example CVE-2009-0783'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:H', 8.2, 'Grype fixture CVE-1999-0001'],
  ['CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:H', 8.5, 'Grype fixture CVE-1999-0002'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0.0, 'no impact'],
];

const V2: [vector: string, score: number, where: string][] = [
  ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5, 'NVD CVE-2019-18224'],
  ['AV:L/AC:L/Au:N/C:C/I:C/A:C', 7.2, 'NVD CVE-2019-18276'],
  ['AV:N/AC:L/Au:N/C:P/I:N/A:N', 5.0, 'NVD CVE-2019-1549'],
  ['AV:N/AC:M/Au:N/C:P/I:P/A:P', 6.8, 'NVD CVE-2014-3556'],
  ['AV:N/AC:L/Au:N/C:C/I:C/A:C', 10.0, 'v2 guide maximum'],
  ['(AV:N/AC:M/Au:N/C:P/I:N/A:N)', 4.3, 'parenthesised form'],
  ['AV:N/AC:L/Au:N/C:N/I:N/A:N', 0.0, 'no impact'],
];

// https://www.first.org/cvss/v4-0/examples and further vectors; every score here is also what the
// FIRST-hosted reference calculator (cvss40.js) gives, checked on 200,000 random vectors offline.
const V4: [vector: string, score: number, where: string][] = [
  ['CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.3, 'CVE-2022-41741'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.7, 'CVE-2020-3549'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U', 5.2, 'CVE-2020-3549 E:U'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N', 8.3, 'CVE-2023-3089'],
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/CR:H/IR:L/AR:L/MAV:N/MAC:H/MVC:H/MVI:L/MVA:L', 8.1, 'CVE-2023-3089 env'],
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 4.6, 'CVE-2021-44714'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N', 5.1, 'CVE-2022-21830'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N', 6.9, 'CVE-2022-22186'],
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:N/VI:N/VA:N/SC:H/SI:N/SA:N', 5.9, 'CVE-2023-21989'],
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 9.4, 'CVE-2020-3947'],
  ['CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:H/SA:N/S:P/V:D', 8.3, 'S:P V:D supplemental'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N/E:A', 8.7, 'CVE-2014-0160'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:L/E:U', 6.6, 'VA:H SA:L E:U'],
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:U', 5.6, 'E:U, high privileges'],
  ['CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/MSI:S/S:P', 9.7, 'safety MSI:S'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:H/E:U/MAV:A/R:U/V:C', 2.4, 'environmental MAV:A'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:H/SI:H/SA:H', 9.3, 'VI:H with subsequent H'],
  ['CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:H/SI:N/SA:H', 6.4, 'adjacent, subsequent H'],
  ['CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P', 8.2, 'AC:H AT:P E:P'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10.0, 'maximum'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0.0, 'no impact'],
];

test('CVSS v3.0/v3.1 base scores match the published values', () => {
  for (const [vector, score, where] of V3) {
    assert.equal(cvss3BaseScore(vector)?.score, score, `${where}: ${vector}`);
  }
});

test('CVSS v2 base scores match the published values', () => {
  for (const [vector, score, where] of V2) {
    assert.equal(cvss2BaseScore(vector)?.score, score, `${where}: ${vector}`);
  }
});

test('CVSS v4.0 scores match the FIRST examples (MacroVector lookup and interpolation)', () => {
  for (const [vector, score, where] of V4) {
    assert.equal(cvss4BaseScore(vector), score, `${where}: ${vector}`);
  }
});

test('cvssBaseScore dispatches on the prefix and reports the version', () => {
  assert.deepEqual(
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV:N/AC:L/Au:N/C:P/I:P/A:P'].map((v) => [cvssBaseScore(v)?.version, cvssBaseScore(v)?.score]),
    [['4.0', 9.3], ['3.1', 9.8], ['3.0', 9.8], ['2.0', 7.5]],
  );
});

test('temporal and environmental metrics after a v3 base vector do not change the base score', () => {
  assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U/CR:L')?.score, 9.8);
});

test('malformed or incomplete vectors score nothing rather than a guess', () => {
  const bad = [
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', // missing A
    'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', // repeated metric
    'CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N', // missing SA
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MAV:Z',
    'AV:N/AC:L/Au:N/C:P/I:P',
    'high',
    '',
  ];
  assert.deepEqual(bad.map((v) => cvssBaseScore(v)), bad.map(() => undefined));
});

test('v3.1 Roundup avoids the floating-point artefact that v3.0 Roundup keeps (v3.1 Appendix A)', () => {
  const cases: [number, number, number][] = [
    [4.02, 4.1, 4.1],
    [4.0, 4.0, 4.0],
    [4.000000000000001, 4.0, 4.1],
    [6.9999, 7.0, 7.0],
  ];
  for (const [input, v31, v30] of cases) {
    assert.equal(roundUp31(input), v31, `roundUp31(${input})`);
    assert.equal(roundUp30(input), v30, `roundUp30(${input})`);
  }
});

test('qualitative ratings: 9.0 critical, 7.0 high, 4.0 medium, below that low', () => {
  const table: [number, string][] = [[10, 'critical'], [9.0, 'critical'], [8.9, 'high'], [7.0, 'high'], [6.9, 'medium'],
    [4.0, 'medium'], [3.9, 'low'], [0.1, 'low'], [0, 'low']];
  assert.deepEqual(table.map(([s]) => ratingForScore(s)), table.map(([, r]) => r));
});
