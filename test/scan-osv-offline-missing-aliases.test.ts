// vuln-db as the README describes it ("per-ecosystem all.zip") holds Debian/all.zip; the
// Debian advisories there carry no severity of their own, and the CVE records that rate
// them live in GIT/all.zip (NVD's records), which the README did not mention. Without it
// every Debian finding is `unknown` and passes fail-on: medium/high, where the same image
// scanned online fails; and nothing said severities were left unread (found by a review).
// Now a warning names the missing records and the archive that holds them, and the
// README's vuln-db row says to add it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findingsFromMatches } from '../src/scan/findings.ts';
import { MemoryLogger } from '../src/log.ts';
import type { Package } from '../src/scan/model.ts';
import { matchPackages } from '../src/scan/osv/match.ts';
import { applyPolicy } from '../src/scan/policy.ts';
import { OsvServer } from './support/osv-server.ts';
import { buildZip } from './support/zip-writer.ts';

const scratch = mkdtempSync(join(tmpdir(), 'review-offline-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const fixture = (id: string) => readFileSync(fileURLToPath(new URL(`./fixtures/scan/osv/${id}.json`, import.meta.url)));
const nginx: Package = { type: 'deb', name: 'nginx', version: '1.2.1-2.2', sourceName: 'nginx', sourceVersion: '1.2.1-2.2', ecosystem: 'Debian:7', path: 'db', layer: 'sha256:' + '0'.repeat(64) };
const policy = { failOn: 'medium' as const, ignoreUnfixed: false };
const verdict = async (options: Parameters<typeof matchPackages>[1]) => {
  const result = await matchPackages([nginx], options);
  const findings = await findingsFromMatches(result.matches, result.lookup);
  await result.close?.();
  return { findings, verdict: applyPolicy([{ platform: 'unknown', manifestDigest: 'sha256:' + '1'.repeat(64), packages: [nginx], findings, notes: [] }], policy).verdict };
};

test('offline with Debian/all.zip alone: a finding online rates medium does not silently pass fail-on: medium', async () => {
  const server = await new OsvServer([JSON.parse(fixture('DSA-3029-1').toString()), JSON.parse(fixture('CVE-2014-3616').toString())]).start();
  let online: Awaited<ReturnType<typeof verdict>>;
  try {
    online = await verdict({ osvUrl: server.url });
  } finally {
    await server.stop();
  }
  assert.equal(online.verdict, 'violation', 'online: CVE-2014-3616 (CVSS v2 4.3) fails fail-on: medium');

  mkdirSync(join(scratch, 'Debian'));
  writeFileSync(join(scratch, 'Debian', 'all.zip'), buildZip([{ name: 'DSA-3029-1.json', data: fixture('DSA-3029-1') }]));
  const logger = new MemoryLogger();
  const offline = await verdict({ vulnDb: scratch, logger });
  const warned = logger.lines.some((l) => l.includes('CVE-2014-3616') && l.includes('GIT/all.zip') && /not in vuln-db/.test(l));
  assert.ok(offline.verdict === 'violation' || warned,
    `offline verdict ${offline.verdict}, finding ${offline.findings[0]?.id} ${offline.findings[0]?.severity} (${offline.findings[0]?.severitySource}); log: ${logger.lines.join(' | ')}`);
});
