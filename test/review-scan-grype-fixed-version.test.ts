// grype's fix.versions lists every fix the record names, one per release branch
// (jackson-databind GHSA-jjjh-jjxp-wpff: 2.12.7.1 and 2.13.4.1). The grype engine reports
// versions[0] as the finding's fixed version, even when it is below the installed one:
// the report tells a 2.13.3 user to "upgrade" to 2.12.7.1, which is a downgrade that
// leaves them on a branch they do not use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGrypeReport } from '../src/scan/engines/grype.ts';
import { compareMaven } from '../src/scan/version/index.ts';

test('grype: the fixed version reported is one above the installed version', () => {
  const scan = readGrypeReport({
    matches: [{
      vulnerability: { id: 'GHSA-jjjh-jjxp-wpff', severity: 'High', fix: { versions: ['2.12.7.1', '2.13.4.1'], state: 'fixed' } },
      relatedVulnerabilities: [{ id: 'CVE-2022-42003', severity: 'High' }],
      artifact: { name: 'jackson-databind', version: '2.13.3', type: 'java-archive', locations: [{ path: '/app/lib/jackson-databind-2.13.3.jar' }] },
    }],
  });
  const f = scan.findings[0]!;
  assert.ok(f.fixed !== undefined && compareMaven(f.fixed, f.installed) > 0, `installed ${f.installed}, reported fixed ${f.fixed}`);
});
