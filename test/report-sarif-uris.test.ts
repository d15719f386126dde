// SARIF `artifactLocation.uri` (schema format "uri-reference") was the package's path
// inside the image, and `helpUri` (format "uri") the scanner's or advisory's URL (grype
// `dataSource`, Trivy `PrimaryURL`), both written as they were. codeql-action/upload-sarif
// validates these formats and code scanning parses them with Go's url.Parse: a space, a
// stray `%`, a `#` or a colon in the first segment of a relative path made the upload
// refuse the whole file (codeql-action#684, #1553, sast-scan#104), so every result was
// lost. The image's builder chooses the paths. These tests failed before the fix.
// Now each path segment is percent-encoded (`/` kept; `@` and the sub-delimiters a segment
// may hold stay as they are, `:` is encoded), and `helpUri` is written only when it is an
// absolute http(s) URL of RFC 3986 characters that the URL parser accepts, as it is.
// The test's own schema validator skips `format`, hence the checks here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sarifReport } from '../src/report/files/sarif.ts';
import { sampleContext } from './support/scan-context.ts';

type Json = Record<string, any>;

// RFC 3986: the characters a URI may hold, and a `%` only as a pct-encoded octet.
const URI_CHARS = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*$/;
function uriReferenceProblem(value: string): string | undefined {
  if (!URI_CHARS.test(value)) return 'character outside RFC 3986 or a bad % escape';
  if ((value.match(/#/g) ?? []).length > 1) return 'more than one #';
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value);
  if (!scheme && /^[^/?#]*:/.test(value)) return 'relative path whose first segment has a colon';
  return undefined;
}
function uriProblem(value: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return 'no scheme';
  return uriReferenceProblem(value);
}

async function hostileContext() {
  const ctx = await sampleContext();
  for (const platform of ctx.result.platforms) {
    for (const f of platform.findings) {
      if (f.package.type === 'npm') {
        // A directory name in the image's layer: spaces, %, # and : are all legal in a tar path.
        f.package.path = '/usr/lib/node_modules/@acme/any23 bridge%zz#x/package.json';
      }
    }
  }
  return ctx;
}

test('every artifactLocation.uri in the SARIF log is a valid URI reference', async () => {
  const run = (sarifReport(await hostileContext()) as Json).runs[0];
  const bad = (run.results as Json[]).flatMap((r) => (r.locations as Json[]).map((l) => l.physicalLocation.artifactLocation.uri as string))
    .map((uri) => [uri, uriReferenceProblem(uri)]).filter(([, p]) => p !== undefined);
  assert.deepEqual(bad, [], 'codeql-action/upload-sarif refuses the file: "does not conform to the \\"uri-reference\\" format"');
});

test('a relative path whose first segment has a colon is not written as it is', async () => {
  const ctx = await sampleContext();
  for (const p of ctx.result.platforms) for (const f of p.findings) if (f.package.type === 'npm') f.package.path = '/2024:app/node_modules/x/package.json';
  const run = (sarifReport(ctx) as Json).runs[0];
  const uris = (run.results as Json[]).map((r) => r.locations[0].physicalLocation.artifactLocation.uri as string);
  assert.deepEqual(uris.filter((u) => uriReferenceProblem(u) !== undefined), [], 'Go url.Parse: first path segment in URL cannot contain colon');
});

test('helpUri is a valid URI or left out', async () => {
  const ctx = await sampleContext();
  // A grype match's dataSource / Trivy's PrimaryURL, as the scanner's JSON gave it.
  for (const p of ctx.result.platforms) for (const f of p.findings) f.url = 'https://security-tracker.example/advisory for nginx';
  const rules = (sarifReport(ctx) as Json).runs[0].tool.driver.rules as Json[];
  const bad = rules.filter((r) => r.helpUri !== undefined).map((r) => [r.helpUri, uriProblem(r.helpUri)]).filter(([, p]) => p !== undefined);
  assert.deepEqual(bad, [], 'codeql-action/upload-sarif refuses the file: helpUri "does not conform to the \\"uri\\" format"');
});

test('the path is encoded segment by segment, and a plain path is written as before', async () => {
  const run = (sarifReport(await hostileContext()) as Json).runs[0];
  const uris = new Set((run.results as Json[]).map((r) => r.locations[0].physicalLocation.artifactLocation.uri as string));
  assert.ok(uris.has('usr/lib/node_modules/@acme/any23%20bridge%25zz%23x/package.json'), [...uris].join(', '));
  assert.ok(uris.has('acme/api'), 'OS packages point at the repository path');
});

test('helpUri: a valid http(s) URL is kept as it is; anything else is left out', async () => {
  const table: [string, string | undefined][] = [
    ['https://osv.dev/vulnerability/CVE-2024-1', 'https://osv.dev/vulnerability/CVE-2024-1'],
    ['http://tracker.example/a?b=c%20d#e', 'http://tracker.example/a?b=c%20d#e'],
    ['https://tracker.example/a%zz', undefined],
    ['https://tracker.example/a#b#c', undefined],
    ['https://tracker.example/caf\u00e9', undefined],
    ['javascript:alert(1)', undefined],
    ['ftp://tracker.example/a', undefined],
    ['https://user:pw@tracker.example/a', undefined],
    ['/relative/advisory', undefined],
    ['https://', undefined],
  ];
  for (const [url, expected] of table) {
    const ctx = await sampleContext();
    for (const p of ctx.result.platforms) for (const f of p.findings) f.url = url;
    const rules = (sarifReport(ctx) as Json).runs[0].tool.driver.rules as Json[];
    assert.deepEqual([...new Set(rules.map((r) => r.helpUri))], [expected], url);
  }
});
