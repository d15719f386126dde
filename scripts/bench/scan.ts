// Issue 5's benchmark: scan a ~1 GB (uncompressed) four-layer image pulled from the
// local registry by digest, against the floor of `sha256sum` plus `gzip -dc | tar -t`
// over the same blob files in the registry's storage. The image holds a real dpkg
// database (this machine's) so the inventory does real work, and files that are half
// incompressible so gzip cannot cheat.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../../test/support/registry.ts';
import { buildImage, pushImage, type LayerSpec } from '../../test/support/images.ts';
import { measure, median } from './measure.ts';
import type { BenchRow } from './row.ts';

const LAYERS = 4;
const FILES_PER_LAYER = 256;
const FILE_BYTES = 1024 * 1024;
const CACHE = join(process.cwd(), '.bench', 'scan-1gb');

export async function benchScan(): Promise<BenchRow[]> {
  const section = `scan ${LAYERS}-layer image, ~${(LAYERS * FILES_PER_LAYER * FILE_BYTES / 1e9).toFixed(1)} GB uncompressed, from the registry`;
  const layout = await cachedImage();
  const reg = await startRegistry();
  // A real offline database (the Debian records of the test fixtures): no network, and
  // matching still runs against the image's real dpkg inventory.
  const db = await mkdtemp(join(tmpdir(), 'immutag-bench-db-'));
  await cp('test/fixtures/osv/records', db, { recursive: true });
  try {
    const digest = await pushImage(reg, `oci:${layout}:bench`, 'bench/scan:1');
    const blobs = await layerFiles(reg, digest);
    const ref = `${reg.host}/bench/scan:1`;
    const run = () => measure(process.execPath, ['dist/cli.js', 'verify', '--digest', digest, ref, '--insecure-registry', reg.host,
      '--vuln-db', db, '--fail-on', 'none', '--json'], process.env);
    const floorScript = `sha256sum ${blobs.join(' ')} >/dev/null && for f in ${blobs.join(' ')}; do gzip -dc "$f" | tar -t >/dev/null; done`;
    const floorRun = () => measure('bash', ['-c', floorScript]);
    // Warm both (page cache, compile cache), then the median of three of each.
    await run();
    await floorRun();
    const immutag = await median(3, run);
    const floor = await median(3, floorRun);
    const note = resultNote(immutag.stdout);
    return [
      { section, tool: 'immutag verify + scan (pull, verify, inventory)', seconds: immutag.seconds, peakRssMb: immutag.peakRssMb, note },
      { section, tool: 'sha256sum + gzip -dc | tar -t (floor, local files)', seconds: floor.seconds, peakRssMb: floor.peakRssMb },
    ];
  } finally {
    await reg.stop();
    await rm(db, { recursive: true, force: true });
  }
}

function resultNote(stdout: string): string {
  const out = JSON.parse(stdout) as { result: string };
  return `repo@digest pulled (spooled, verified), whiteouts applied, dpkg inventory matched offline; result ${out.result}`;
}

/** Built once and kept under .bench/ (about 1 GB of files through umoci takes a minute). */
async function cachedImage(): Promise<string> {
  const layout = join(CACHE, 'layout');
  if (existsSync(join(layout, 'index.json'))) return layout;
  await rm(CACHE, { recursive: true, force: true });
  await mkdir(CACHE, { recursive: true });
  const status = await readFile('/var/lib/dpkg/status');
  const layers: LayerSpec[] = [];
  for (let l = 0; l < LAYERS; l++) {
    const files: LayerSpec = l === 0 ? { '/var/lib/dpkg/status': status } : {};
    for (let f = 0; f < FILES_PER_LAYER; f++) files[`/data/layer${l}/file${f}.bin`] = halfRandom();
    layers.push(files);
  }
  process.stderr.write('bench: building the ~1 GB scan image once (cached in .bench/)...\n');
  const built = await buildImage({ layers, tag: 'bench' });
  await rm(CACHE, { recursive: true, force: true });
  await mkdir(CACHE, { recursive: true });
  const { run } = await import('../../test/support/exec.ts');
  await run('cp', ['-r', built.layout, layout]);
  await rm(join(built.layout, '..'), { recursive: true, force: true });
  return layout;
}

/** Half random bytes, half repetitive text: roughly the 2:1 gzip ratio of real images. */
function halfRandom(): Buffer {
  const text = Buffer.alloc(FILE_BYTES / 2, 'usr/share/doc/example/changelog line of text\n');
  return Buffer.concat([randomBytes(FILE_BYTES / 2), text]);
}

/** The layer blobs' data files in the registry's own storage. */
async function layerFiles(reg: TestRegistry, digest: string): Promise<string[]> {
  const blobPath = (d: string) => join(reg.storage, 'docker/registry/v2/blobs/sha256', d.slice(7, 9), d.slice(7), 'data');
  const manifest = JSON.parse(await readFile(blobPath(digest), 'utf8')) as { layers: { digest: string }[] };
  return manifest.layers.map((l) => blobPath(l.digest));
}
