// Issues 3 and 13's benchmark: tags of one repository behind token auth, checked by
// the immutag CLI, by a loop of `skopeo inspect --raw`, and by a loop of `curl` GETs
// of the manifest with a token fetched once (the floor: no process start of ours, no
// auth handshake per tag), and over plain HTTP the least a Node process can do
// (check-floor.mjs: the bound on any Node program's ratio there). Over plain HTTP (local and in-cluster registries, CI
// service containers: HTTP/1.1) and over TLS (HTTP/2 where offered), at 20 and 100
// tags; goal (issue 13): immutag ≥5× skopeo at 20 tags and ≥10× at 100 on both.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../../test/support/registry.ts';
import { buildImage, pushImage, removeLayout } from '../../test/support/images.ts';
import { run } from '../../test/support/exec.ts';
import { measure, type Measured } from './measure.ts';
import type { BenchRow } from './row.ts';

const COUNTS = [20, 100];
const FLOOR = new URL('./check-floor.mjs', import.meta.url).pathname;
// Rounds per tool: a 20-tag check takes ~0.1 s, and one slow answer from the registry
// (its own pauses, on the same two cores) moves a median of 5 by several percent.
const RUNS = 11;
const ACCEPT = 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json';

export async function benchCheck(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const tls of [false, true]) {
    const reg = await startRegistry({ auth: 'token', tls });
    const image = await buildImage();
    const dir = await mkdtemp(join(tmpdir(), 'immutag-bench-check-'));
    try {
      await tagMany(reg, image.ociRef, dir, Math.max(...COUNTS));
      for (const count of COUNTS) rows.push(...(await benchOne(reg, count)));
    } finally {
      await reg.stop();
      await removeLayout(image);
      await rm(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

async function benchOne(reg: TestRegistry, count: number): Promise<BenchRow[]> {
  const transport = reg.tls ? 'TLS' : 'plain HTTP';
  const section = `check ${count} tags, half new (token auth, ${transport})`;
  // Half the tags exist, half are new: a release checks tags it is about to create.
  const tags = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? `1.${i + 1}` : `2.${i + 1}`));
  const refs = tags.map((tag) => `${reg.host}/bench/app:${tag}`);
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: reg.caFile ?? '', IMMUTAG_USERNAME: reg.username, IMMUTAG_PASSWORD: reg.password };
  const insecure = reg.tls ? [] : [reg.host, new URL(reg.token!.url).host].flatMap((h) => ['--insecure-registry', h]);
  const token = await fetchToken(reg, 'pull');
  const trust = reg.caFile ? ['--cacert', reg.caFile] : [];

  // Rounds interleave the tools, so a busy machine slows them alike and the ratios hold.
  const runs: Record<'cli' | 'skopeo' | 'curl' | 'floor', Measured[]> = { cli: [], skopeo: [], curl: [], floor: [] };
  let tokens = 0;
  for (let round = 0; round < RUNS; round++) {
    const before = reg.token!.requests();
    runs.cli.push(await measure(process.execPath,
      ['dist/cli.js', 'check', ...refs, '--username', reg.username, '--mutable-tags', '*', ...insecure, '--json'], env));
    tokens += reg.token!.requests() - before;
    runs.skopeo.push(await each(refs, (ref) => ['skopeo', ['inspect', '--raw', ...reg.skopeoArgs(), `docker://${ref}`]]));
    runs.curl.push(await each(tags, (tag) => ['curl', ['-s', '-o', '/dev/null', ...trust, '-H', `Authorization: Bearer ${token}`,
      '-H', `Accept: ${ACCEPT}`, `${reg.url}/v2/bench/app/manifests/${tag}`]]));
    if (!reg.tls) runs.floor.push(await measure(process.execPath, [FLOOR, reg.url, 'bench/app', ...tags], env));
  }
  const tokensPerRun = tokens / RUNS;
  const cli = middle(runs.cli);
  const requests = (JSON.parse(cli.stdout) as { requests: number }).requests;
  const skopeo = middle(runs.skopeo);
  const curl = middle(runs.curl);
  const rows: BenchRow[] = [
    { section, tool: 'immutag check (one process)', seconds: cli.seconds, peakRssMb: cli.peakRssMb, requests,
      note: `${spread(runs.cli)}; ${tokensPerRun} token request(s) per run; ${requests} registry+token HTTP requests for ${count} tags` },
    { section, tool: `skopeo inspect --raw x${count}`, seconds: skopeo.seconds, peakRssMb: skopeo.peakRssMb, note: spread(runs.skopeo) },
    { section, tool: `curl GET x${count}, token cached (floor)`, seconds: curl.seconds, peakRssMb: curl.peakRssMb, note: spread(runs.curl) },
  ];
  if (runs.floor.length > 0) {
    const floor = middle(runs.floor);
    rows.push({ section, tool: 'node: ping, token, GETs + sha256, nothing else (floor for any Node program)', seconds: floor.seconds,
      peakRssMb: floor.peakRssMb,
      note: `${spread(runs.floor)}; skopeo / this = ${(skopeo.seconds / floor.seconds).toFixed(1)}x: the most a Node program could reach here; immutag / this = ${(cli.seconds / floor.seconds).toFixed(2)}x (steadier than the ratio to skopeo: both are Node on the same registry)` });
  }
  return rows;
}

/** One command per item, in sequence (a shell loop's work); a missing tag's non-zero exit is an answer too. */
async function each<T>(items: readonly T[], command: (item: T) => [string, string[]]): Promise<Measured> {
  const started = process.hrtime.bigint();
  let peak = 0;
  for (const item of items) {
    const [cmd, args] = command(item);
    peak = Math.max(peak, (await measure(cmd, args, process.env, [0, 1])).peakRssMb);
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: peak, stdout: '' };
}

/** The middle half of the rounds (first to third quartile), so a reader sees how much a median can move. */
function spread(runs: Measured[]): string {
  const seconds = runs.map((r) => r.seconds).sort((a, b) => a - b);
  const at = (q: number): string => seconds[Math.round(q * (seconds.length - 1))]!.toFixed(3);
  return `middle half of ${seconds.length} rounds ${at(0.25)}-${at(0.75)} s`;
}

function middle(runs: Measured[]): Measured {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
}

/** Tags 1.1, 1.3, … up to n on one image: one skopeo push, then the manifest PUT under each further tag. */
async function tagMany(reg: TestRegistry, src: string, dir: string, n: number): Promise<void> {
  await pushImage(reg, src, 'bench/app:1.1');
  const token = await fetchToken(reg, 'pull,push');
  const trust = reg.caFile ? ['--cacert', reg.caFile] : [];
  const auth = ['-H', `Authorization: Bearer ${token}`];
  const { stdout: manifest } = await run('curl', ['-sf', ...trust, ...auth, '-H', `Accept: ${ACCEPT}`, `${reg.url}/v2/bench/app/manifests/1.1`]);
  const mediaType = (JSON.parse(manifest) as { mediaType?: string }).mediaType ?? 'application/vnd.oci.image.manifest.v1+json';
  const file = join(dir, 'manifest.json');
  await writeFile(file, manifest);
  for (let i = 3; i <= n; i += 2) {
    await run('curl', ['-sf', '-X', 'PUT', ...trust, ...auth, '-H', `Content-Type: ${mediaType}`, '--data-binary', `@${file}`,
      `${reg.url}/v2/bench/app/manifests/1.${i}`]);
  }
}

async function fetchToken(reg: TestRegistry, actions: string): Promise<string> {
  const trust = reg.caFile ? ['--cacert', reg.caFile] : [];
  const { stdout } = await run('curl', ['-sf', ...trust, '-u', `${reg.username}:${reg.password}`,
    `${reg.token!.url}?service=immutag-test-registry&scope=repository:bench/app:${actions}`]);
  return (JSON.parse(stdout) as { token: string }).token;
}
