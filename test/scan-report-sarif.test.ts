import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sarifReport } from '../src/report/files/sarif.ts';
import { loadSchemas, validate } from './support/json-schema.ts';
import { sampleContext } from './support/scan-context.ts';

const SCHEMAS = loadSchemas([fileURLToPath(new URL('./fixtures/scan/schemas/sarif-schema-2.1.0.json', import.meta.url))]);
const SARIF = 'sarif-schema-2.1.0.json';

type Json = Record<string, any>;

test('the SARIF log validates against the SARIF 2.1.0 schema', async () => {
  const sarif = sarifReport(await sampleContext());
  assert.deepEqual(validate(sarif, SARIF, SCHEMAS), []);
});

test('the validator accepts a real SARIF log (Trivy\'s own golden file)', async () => {
  const trivy = JSON.parse(await readFile(new URL('./fixtures/scan/trivy/alpine-310.sarif.json', import.meta.url), 'utf8'));
  assert.deepEqual(validate(trivy, SARIF, SCHEMAS), []);
});

test('the validator is not a rubber stamp: a broken log is refused', async () => {
  const sarif = sarifReport(await sampleContext()) as Json;
  sarif.version = '2.0.0';
  sarif.runs[0].results[0].level = 'fatal';
  delete sarif.runs[0].tool.driver.name;
  sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
  sarif.runs[0].bogus = true;
  const errors = validate(sarif, SARIF, SCHEMAS);
  for (const expected of [/\$\.version: "2\.0\.0" is not one of/, /level: "fatal" is not one of/, /driver: missing required property name/,
    /startLine: below the minimum 1/, /\$\.runs\[0\]\.bogus: property not allowed/]) {
    assert.ok(errors.some((e) => expected.test(e)), `${expected} in ${errors.join('\n')}`);
  }
});

test('rules: one per vulnerability ID, with help, tags and a numeric security-severity', async () => {
  const run = (sarifReport(await sampleContext()) as Json).runs[0];
  const rules = run.tool.driver.rules as Json[];
  const byId = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
  assert.deepEqual(rules.map((r) => [r.id, r.properties['security-severity'], r.properties.tags[2]]).sort(byId), [
    ['CVE-2022-27449', undefined, 'UNKNOWN'],
    ['DEBIAN-CVE-2016-1585', '2.0', 'LOW'], // Debian rates it unimportant: the band of the rating, not NVD's 9.8
    ['DEBIAN-CVE-2017-6507', '5.9', 'MEDIUM'],
    ['DSA-3029-1', '4.3', 'MEDIUM'],
    ['GHSA-838r-hvwh-24h8', '9.1', 'CRITICAL'],
  ]);
  for (const rule of rules) {
    assert.match(rule.help.text, new RegExp(`^Vulnerability ${rule.id}`));
    assert.match(rule.help.markdown, /\| Severity \| Source \| Aliases \|/);
    assert.deepEqual(rule.properties.tags.slice(0, 2), ['vulnerability', 'security']);
    assert.equal(rule.helpUri, `https://osv.dev/vulnerability/${rule.id}`);
  }
});

test('results: error when failing, warning/note otherwise, one per package version across platforms, with a location', async () => {
  const run = (sarifReport(await sampleContext()) as Json).runs[0];
  const results = run.results as Json[];
  assert.deepEqual(results.map((r) => [r.ruleId, r.level, r.locations[0].physicalLocation.artifactLocation.uri]).sort(), [
    ['CVE-2022-27449', 'note', 'acme/api'],
    ['DEBIAN-CVE-2016-1585', 'note', 'acme/api'],
    ['DEBIAN-CVE-2017-6507', 'warning', 'acme/api'],
    ['DSA-3029-1', 'note', 'acme/api'],
    ['GHSA-838r-hvwh-24h8', 'error', 'usr/lib/node_modules/@acme/any23-bridge/package.json'],
  ]);
  for (const result of results) {
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uriBaseId, 'ROOTPATH');
    assert.match(result.partialFingerprints['immutagFinding/v1'], /^[a-f0-9]{64}$/);
    assert.match(result.message.text, /Platforms: linux\/amd64, linux\/arm64\/v8/);
  }
  const ignored = results.find((r) => r.ruleId === 'DSA-3029-1');
  assert.deepEqual(ignored?.suppressions, [{ kind: 'external', status: 'accepted',
    justification: 'TLS session cache is not shared [.immutag-ignore:1 CVE-2014-3616 (as DSA-3029-1)]' }]);
  assert.equal(run.properties.imageDigest, 'sha256:' + 'd'.repeat(64));
});

test('with fail-on none nothing is an error', async () => {
  const run = (sarifReport(await sampleContext({ failOn: 'none', ignoreUnfixed: false })) as Json).runs[0];
  assert.deepEqual((run.results as Json[]).filter((r) => r.level === 'error'), []);
});

test('help.markdown renders outside text inert: a summary, a source and a URL from a scanner cannot add links or images', async () => {
  const ctx = await sampleContext();
  const finding = ctx.result.platforms[0]!.findings[0]!;
  const hostile = {
    ...finding, id: 'CVE-2099-0001', url: 'https://example.com/x) ![pixel](https://tracker.example/p.png',
    summary: 'see ![x](https://tracker.example/a.png) and <img src=https://tracker.example/b.png> @octocat',
    severitySource: 'trivy|HIGH](https://evil.example)',
  };
  for (const p of ctx.result.platforms) p.findings = [hostile];
  const rule = ((sarifReport(ctx) as Json).runs[0].tool.driver.rules as Json[])[0]!;
  const md = rule.help.markdown as string;
  assert.ok(!/!\[/.test(md.replace(/\\!\\\[|\\!\[/g, '')), md);
  assert.ok(!md.includes('<img'), md);
  assert.ok(!md.includes('](https://tracker.example'), md);
  assert.ok(!md.includes('](https://evil.example'), md);
  assert.ok(md.includes('[CVE-2099-0001](https://example.com/x%29%20!%5Bpixel%5D'), md);
});
