// Online matching through the OSV API stand-in (test/support/osv-server.ts), backed by
// real records and, for Alpine, a real recorded querybatch exchange.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ImmutagError, isViolation } from '../src/errors.ts';
import { MemoryLogger } from '../src/log.ts';
import type { Package } from '../src/scan/model.ts';
import { OsvClient } from '../src/scan/osv/client.ts';
import { type MatchOptions, type MatchResult, matchPackages } from '../src/scan/osv/match.ts';
import type { OsvRecord } from '../src/scan/osv/record.ts';
import { parseRetryAfter, type RetryClock } from '../src/registry/retry.ts';
import { type Answer, OsvServer, type WireQuery } from './support/osv-server.ts';

const FIXTURES = new URL('./fixtures/osv/', import.meta.url);
const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 20 };

function loadRecords(): OsvRecord[] {
  const out: OsvRecord[] = [];
  for (const dir of ['Alpine', 'Debian', 'npm', 'PyPI', 'Ubuntu']) {
    for (const file of readdirSync(new URL(`records/${dir}/`, FIXTURES))) {
      out.push(JSON.parse(readFileSync(new URL(`records/${dir}/${file}`, FIXTURES), 'utf8')) as OsvRecord);
    }
  }
  return out;
}

function pkg(p: Pick<Package, 'name' | 'version' | 'ecosystem'> & Partial<Package>): Package {
  const type = p.ecosystem === 'npm' ? 'npm' : p.ecosystem === 'PyPI' ? 'pypi' : p.ecosystem.startsWith('Alpine') ? 'apk' : 'deb';
  return { type, path: 'db', layer: 'sha256:' + '0'.repeat(64), ...p };
}

/** The matches as comparable rows, independent of order. */
function rows(result: MatchResult): string[] {
  return result.matches.map((m) => `${m.package.name}@${m.package.version} ${m.record.id} fixed=${m.fixed ?? '-'}`).sort();
}

async function withServer<T>(server: OsvServer, fn: (options: MatchOptions) => Promise<T>): Promise<T> {
  await server.start();
  try {
    return await fn({ osvUrl: server.url, retry: FAST_RETRY, logger: new MemoryLogger() });
  } finally {
    await server.stop();
  }
}

const INVENTORY: Package[] = [
  pkg({ name: 'libssl1.1', version: '1.1.0l-1~deb9u5', sourceName: 'openssl', sourceVersion: '1.1.0l-1~deb9u5', ecosystem: 'Debian:9' }),
  pkg({ name: 'openssl', version: '1.1.0l-1~deb9u5', sourceName: 'openssl', sourceVersion: '1.1.0l-1~deb9u5', ecosystem: 'Debian:9' }),
  pkg({ name: 'dpkg', version: '1.18.26', ecosystem: 'Debian:9' }),
  pkg({ name: 'ansi-html', version: '0.0.7', ecosystem: 'npm' }),
  pkg({ name: 'Django', version: '3.1.5', ecosystem: 'PyPI' }),
  pkg({ name: 'gpgv', version: '2.2.27-3ubuntu2.1', sourceName: 'gnupg2', sourceVersion: '2.2.27-3ubuntu2.1', ecosystem: 'Ubuntu:22.04:LTS' }),
];

const EXPECTED = [
  'Django@3.1.5 PYSEC-2021-98 fixed=3.1.12',
  'ansi-html@0.0.7 GHSA-whgm-jr23-g3j9 fixed=0.0.8',
  'gpgv@2.2.27-3ubuntu2.1 USN-7412-1 fixed=2.2.27-3ubuntu2.3',
  'libssl1.1@1.1.0l-1~deb9u5 DLA-3008-1 fixed=1.1.0l-1~deb9u6',
  'openssl@1.1.0l-1~deb9u5 DLA-3008-1 fixed=1.1.0l-1~deb9u6',
];

test('matches real records by source package, drops what does not affect the version', async () => {
  const server = new OsvServer(loadRecords());
  const logger = new MemoryLogger();
  const result = await withServer(server, (options) => matchPackages(INVENTORY, { ...options, logger }));
  // dpkg 1.18.26 is the fixed version of DLA-3022-1: listed by the stand-in, dropped here.
  assert.deepEqual(rows(result), EXPECTED);
  assert.ok(logger.lines.some((l) => /^OSV: 6 queries, \d+ distinct advisories$/.test(l)), logger.lines.join('\n'));
  // Two binary packages of one source share one query; the Ubuntu package is asked about its Pro stream too.
  const batch = server.requests.find((r) => r.endpoint === 'querybatch');
  assert.equal(batch?.queries, INVENTORY.length - 1 + 1);
});

test('replays a recorded Alpine 3.18 querybatch exchange', async () => {
  const exchange = JSON.parse(readFileSync(new URL('exchanges/alpine-3.18-querybatch.json', FIXTURES), 'utf8')) as {
    request: { body: { queries: WireQuery[] } };
    response: { body: { results: { vulns?: { id: string }[] }[] } };
  };
  const recorded = exchange.request.body.queries;
  const key = (q: WireQuery) => JSON.stringify([q.package?.ecosystem, q.package?.name, q.version, Object.keys(q).sort()]);
  const answers = new Map<string, string[]>();
  recorded.forEach((q, i) => {
    answers.set(key(q), (exchange.response.body.results[i]?.vulns ?? []).map((v) => v.id));
  });
  const seen: WireQuery[] = [];
  const answer: Answer = (query) => {
    seen.push(query);
    return answers.get(key(query)) ?? [];
  };
  // The image's packages: binary names differ, the queries go by origin (source) package.
  const packages = recorded.map((q, i) =>
    pkg({ name: `${q.package?.name}-bin${i}`, version: q.version as string, sourceName: q.package?.name as string, sourceVersion: q.version as string, ecosystem: 'Alpine:v3.18' }),
  );
  const server = new OsvServer(loadRecords(), { answer });
  const result = await withServer(server, (options) => matchPackages(packages, options));
  // Every query immutag sent is one the real client sent, in the documented shape.
  for (const q of seen) assert.ok(answers.has(key(q)), JSON.stringify(q));
  assert.equal(seen.length, answers.size);
  // musl 1.2.4-r2 (two binary packages) is affected; the openssl advisories listed in
  // the recording are not among the stand-in's records (404) and are skipped.
  assert.deepEqual(
    result.matches.map((m) => `${m.package.sourceName} ${m.record.id} ${m.fixed}`),
    ['musl ALPINE-CVE-2025-26519 1.2.4-r3', 'musl ALPINE-CVE-2025-26519 1.2.4-r3'],
  );
});

test('each vulns/{id} is fetched once, however many packages and lookups share it', async () => {
  const versions = ['0.0.1', '0.0.2', '0.0.3', '0.0.4', '0.0.5', '0.0.6', '0.0.7'];
  const packages = versions.map((version) => pkg({ name: 'ansi-html', version, ecosystem: 'npm' }));
  const server = new OsvServer(loadRecords());
  await withServer(server, async (options) => {
    const result = await matchPackages(packages, options);
    assert.equal(result.matches.length, versions.length);
    assert.equal(await result.lookup('GHSA-whgm-jr23-g3j9').then((r) => r?.id), 'GHSA-whgm-jr23-g3j9');
    assert.equal(await result.lookup('CVE-2021-23424'), undefined);
    assert.equal(await result.lookup('CVE-2021-23424'), undefined);
    await result.close?.();
  });
  assert.deepEqual([...server.vulnFetches.entries()], [['GHSA-whgm-jr23-g3j9', 1], ['CVE-2021-23424', 1]]);
});

test('follows next_page_token per query', async () => {
  // The stand-in lists three advisories for Django, one per page; two are for other packages.
  const answer: Answer = (query) => (query.package?.name === 'django' ? ['PYSEC-2023-62', 'PYSEC-2021-98', 'PYSEC-2020-43'] : []);
  const server = new OsvServer(loadRecords(), { answer, pageSize: 1 });
  const result = await withServer(server, (options) => matchPackages([pkg({ name: 'Django', version: '3.1.5', ecosystem: 'PyPI' })], options));
  assert.equal(server.count('querybatch'), 3);
  assert.deepEqual(rows(result), ['Django@3.1.5 PYSEC-2021-98 fixed=3.1.12']);
  assert.deepEqual([...server.vulnFetches.keys()].sort(), ['PYSEC-2020-43', 'PYSEC-2021-98', 'PYSEC-2023-62']);
});

test('more than 1000 queries are split into batches of at most 1000', async () => {
  const packages = Array.from({ length: 2500 }, (_, i) => pkg({ name: `pkg-${i}`, version: '1.0.0', ecosystem: 'npm' }));
  packages.push(pkg({ name: 'ansi-html', version: '0.0.5', ecosystem: 'npm' }));
  const server = new OsvServer(loadRecords());
  const result = await withServer(server, (options) => matchPackages(packages, options));
  const sizes = server.requests.filter((r) => r.endpoint === 'querybatch').map((r) => r.queries).sort();
  assert.deepEqual(sizes, [1000, 1000, 501]);
  assert.deepEqual(rows(result), ['ansi-html@0.0.5 GHSA-whgm-jr23-g3j9 fixed=0.0.8']);
});

test('429 with Retry-After, 5xx and dropped connections are retried to the same result', async () => {
  const server = new OsvServer(loadRecords());
  server.inject({ endpoint: 'querybatch', status: 429, headers: { 'retry-after': '0' }, times: 2 });
  server.inject({ endpoint: 'vulns', status: 503, times: 2 });
  server.inject({ endpoint: 'vulns', status: 'drop', times: 1 });
  const result = await withServer(server, (options) => matchPackages(INVENTORY, options));
  assert.deepEqual(rows(result), EXPECTED);
  assert.equal(server.requests.filter((r) => r.status !== 200).length, 5);
});

test('persistent 5xx fails as SCANNER_FAILED naming the OSV URL, after a bounded number of tries', async () => {
  const server = new OsvServer(loadRecords());
  server.inject({ endpoint: 'querybatch', status: 502, times: 1000 });
  let url = '';
  const err = await withServer(server, (options) => {
    url = options.osvUrl as string;
    return matchPackages(INVENTORY, options).then(() => undefined, (e: unknown) => e);
  });
  assert.ok(err instanceof ImmutagError);
  assert.equal(err.code, 'SCANNER_FAILED');
  assert.equal(isViolation(err), false);
  assert.ok(err.message.includes(url), err.message);
  assert.match(err.message, /HTTP 502/);
  assert.match(err.hint, /osv-url/);
  assert.match(err.hint, /vuln-db/);
  assert.equal(server.count('querybatch'), FAST_RETRY.maxAttempts);
});

test('an unreachable OSV API fails as SCANNER_FAILED', async () => {
  const server = await new OsvServer([]).start();
  const url = server.url;
  await server.stop();
  await assert.rejects(matchPackages(INVENTORY, { osvUrl: url, retry: FAST_RETRY }), (err: unknown) => {
    assert.ok(err instanceof ImmutagError);
    assert.equal(err.code, 'SCANNER_FAILED');
    assert.match(err.message, /connection failed/);
    return true;
  });
});

test('the client waits as long as Retry-After asks (the registry client\'s retry rule: one policy for every API)', async () => {
  const server = await new OsvServer(loadRecords()).start();
  const sleeps: number[] = [];
  const clock: RetryClock = { now: () => 0, sleep: async (ms) => void sleeps.push(ms), random: () => 1 };
  const client = new OsvClient({ baseUrl: server.url, retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 60_000 }, clock });
  try {
    server.inject({ endpoint: 'vulns', status: 429, headers: { 'retry-after': '7' }, times: 1 });
    server.inject({ endpoint: 'vulns', status: 500, times: 1 });
    assert.equal((await client.getVuln('DLA-3008-1'))?.id, 'DLA-3008-1');
    // 7 s as asked, then exponential backoff (100 ms doubled, jitter at its top) for the 500.
    assert.deepEqual(sleeps, [7000, 200]);
  } finally {
    await client.close();
    await server.stop();
  }
  assert.equal(parseRetryAfter('120'), 120_000);
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 10_000);
  assert.equal(parseRetryAfter('soon'), undefined);
});

test('thousands of packages match through one pass', async () => {
  const packages: Package[] = [];
  for (let i = 0; i < 4000; i++) {
    packages.push(pkg({ name: `lib${i}`, version: `1.${i}-1`, sourceName: `src${i % 1500}`, sourceVersion: `1.${i % 1500}-1`, ecosystem: 'Debian:9' }));
  }
  packages.push(...INVENTORY);
  const server = new OsvServer(loadRecords());
  const result = await withServer(server, (options) => matchPackages(packages, options));
  assert.deepEqual(rows(result), EXPECTED);
  assert.equal(server.count('querybatch'), 2);
});

test('a withdrawn record OSV still lists is dropped', async () => {
  const records = loadRecords().map((r) => (r.id === 'GHSA-whgm-jr23-g3j9' ? { ...r, withdrawn: '2024-05-01T00:00:00Z' } : r));
  const server = new OsvServer(records);
  const result = await withServer(server, (options) => matchPackages(INVENTORY, options));
  assert.deepEqual(rows(result), EXPECTED.filter((r) => !r.includes('GHSA-whgm-jr23-g3j9')));
  assert.equal(server.vulnFetches.get('GHSA-whgm-jr23-g3j9'), 1);
});
