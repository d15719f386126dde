// Issue 11's benchmark: the built-in inventory over a Debian-style image carrying a Go
// binary of 20+ MB, a Spring Boot style fat jar of 100+ nested jars and an npm tree,
// against the floor of `sha256sum` plus `gzip -dc | tar -t` over the same blobs. The
// binaries and jars are real (Debian's golang-go builds the Go binary offline; the jars
// are Debian's own), so the content analysers do real work on real layouts.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildImage, type LayerSpec } from '../../test/support/images.ts';
import { run } from '../../test/support/exec.ts';
import { measure, median } from './measure.ts';
import type { BenchRow } from './row.ts';

const CACHE = join(process.cwd(), '.bench', 'inventory');
const NPM_TREES = ['node_modules/@octokit', 'node_modules/@actions', 'node_modules/undici', 'node_modules/tar-stream'];

export async function benchInventory(): Promise<BenchRow[]> {
  const layout = await cachedImage();
  const section = 'inventory: Debian status, a 20+ MB Go binary, a fat jar of 100+ jars, an npm tree';
  const blobs = await layerBlobs(layout);
  const run = () => measure(process.execPath, ['scripts/bench/inventory-run.ts', layout, 'bench']);
  const floorRun = () => measure('bash', ['-c', `sha256sum ${blobs.join(' ')} >/dev/null && for f in ${blobs.join(' ')}; do gzip -dc "$f" | tar -t >/dev/null; done`]);
  // A first run pays for a cold page cache and cold module loading: warm both up, then
  // keep the median of three, the two tools alternating.
  await run();
  await floorRun();
  const immutag = await median(3, run);
  const floor = await median(3, floorRun);
  return [
    { section, tool: 'immutag inventory (verify, stream, read every analyser)', seconds: immutag.seconds, peakRssMb: immutag.peakRssMb, note: immutag.stdout },
    { section, tool: 'sha256sum + gzip -dc | tar -t (floor, local files)', seconds: floor.seconds, peakRssMb: floor.peakRssMb },
  ];
}

/** Built once and kept under .bench/. */
async function cachedImage(): Promise<string> {
  const layout = join(CACHE, 'layout');
  if (existsSync(join(layout, 'index.json'))) return layout;
  await rm(CACHE, { recursive: true, force: true });
  await mkdir(CACHE, { recursive: true });
  process.stderr.write('bench: building the inventory image once (cached in .bench/)...\n');
  const layers: LayerSpec[] = [
    { '/var/lib/dpkg/status': await readFile('/var/lib/dpkg/status'), '/etc/os-release': await readFile('/etc/os-release') },
    { '/usr/local/bin/app': await bigGoBinary() },
    { '/app/demo.jar': await fatJar() },
    npmTree(),
  ];
  const built = await buildImage({ layers, tag: 'bench' });
  await run('cp', ['-r', built.layout, layout]);
  await rm(join(built.layout, '..'), { recursive: true, force: true });
  return layout;
}

/** A Go program embedding 20 MiB of random bytes, built offline by Debian's toolchain. */
async function bigGoBinary(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-bench-go-'));
  try {
    await writeFile(join(dir, 'go.mod'), 'module example.com/bench/big\n\ngo 1.19\n');
    await writeFile(join(dir, 'blob.bin'), randomBytes(20 * 1024 * 1024));
    await writeFile(join(dir, 'main.go'), 'package main\n\nimport _ "embed"\n\n//go:embed blob.bin\nvar blob []byte\n\nfunc main() { println(len(blob)) }\n');
    const env = { ...process.env, HOME: dir, GOCACHE: join(dir, 'cache'), GOPROXY: 'off', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };
    await run('go', ['build', '-o', join(dir, 'app'), '.'], { cwd: dir, env });
    return readFileSync(join(dir, 'app'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Every jar Debian installed under /usr/share/java (74 with the test packages), each
 * twice (BOOT-INF/lib and a copy beside it) so the archive holds well over 100, stored
 * (uncompressed) as Spring Boot stores them.
 */
async function fatJar(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-bench-jar-'));
  try {
    const jars = new Set(readdirSync('/usr/share/java').filter((f) => f.endsWith('.jar')).map((f) => realpathSync(join('/usr/share/java', f))));
    for (const lib of ['lib', 'lib-copy']) {
      await mkdir(join(dir, 'BOOT-INF', lib), { recursive: true });
      for (const jar of jars) await writeFile(join(dir, 'BOOT-INF', lib, jar.split('/').pop()!), readFileSync(jar));
    }
    await run('zip', ['-q', '-0', '-r', join(dir, 'demo.jar'), 'BOOT-INF'], { cwd: dir });
    return readFileSync(join(dir, 'demo.jar'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Part of this project's own node_modules, as an app image would carry it. */
function npmTree(): LayerSpec {
  const files: LayerSpec = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) files[`/srv/app/${relative(process.cwd(), path)}`] = readFileSync(path);
    }
  };
  for (const tree of NPM_TREES) if (existsSync(tree)) walk(tree);
  return files;
}

async function layerBlobs(layout: string): Promise<string[]> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const blob = (digest: string): string => join(layout, 'blobs', 'sha256', digest.slice(7));
  const manifest = JSON.parse(await readFile(blob(index.manifests[0]!.digest), 'utf8')) as { layers: { digest: string }[] };
  return manifest.layers.map((l) => blob(l.digest));
}
