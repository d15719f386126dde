// Issue 12's benchmark: `immutag pin` over 500 references in 100 files naming 50
// distinct tags (10 repositories x 5 tags) behind token auth over TLS, against what a
// script would do: a loop of `skopeo inspect --format '{{.Digest}}'` over the distinct
// tags. `pin --check` on the pinned tree costs the same requests.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from '../../test/support/registry.ts';
import { buildImage, pushImage, removeLayout } from '../../test/support/images.ts';
import { loop, measure, median } from './measure.ts';
import type { BenchRow } from './row.ts';

const REPOSITORIES = 10;
const TAGS_PER_REPOSITORY = 5;
const FILES = 100;
const REFERENCES_PER_FILE = 5;

export async function benchPin(): Promise<BenchRow[]> {
  const distinct = REPOSITORIES * TAGS_PER_REPOSITORY;
  const section = `pin ${FILES * REFERENCES_PER_FILE} references in ${FILES} files, ${distinct} distinct tags (token auth, TLS)`;
  const reg = await startRegistry({ auth: 'token', tls: true });
  const image = await buildImage();
  const work = await mkdtemp(join(tmpdir(), 'immutag-bench-pin-'));
  try {
    const tags: string[] = [];
    for (let r = 0; r < REPOSITORIES; r++) {
      for (let t = 0; t < TAGS_PER_REPOSITORY; t++) {
        const tag = `bench/svc${r}:1.${t}`;
        await pushImage(reg, image.ociRef, tag);
        tags.push(`${reg.host}/${tag}`);
      }
    }
    const tree = join(work, 'tree');
    for (let f = 0; f < FILES; f++) {
      const containers = Array.from({ length: REFERENCES_PER_FILE }, (_, i) =>
        `        - name: c${i}\n          image: ${tags[(f * REFERENCES_PER_FILE + i) % tags.length]}  # container ${i}\n`).join('');
      await mkdir(join(tree, `team${f % 10}`), { recursive: true });
      await writeFile(join(tree, `team${f % 10}`, `deploy-${f}.yaml`),
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${f}\nspec:\n  template:\n    spec:\n      containers:\n${containers}`);
    }
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: reg.caFile!, IMMUTAG_PASSWORD: reg.password };
    const cli = (dir: string, check: boolean) => measure(process.execPath,
      ['dist/cli.js', 'pin', dir, ...(check ? ['--check'] : []), '--username', reg.username, '--registry', reg.host, '--json'], env);

    let copies = 0;
    const tokensBefore = reg.token!.requests();
    const pin = await median(3, async () => {
      const dir = join(work, `copy-${copies++}`);
      await cp(tree, dir, { recursive: true });
      return cli(dir, false);
    });
    const tokensPerRun = (reg.token!.requests() - tokensBefore) / 3;
    const pinReport = JSON.parse(pin.stdout) as { result: string; requests: number; written: string[] };
    if (pinReport.result !== 'pass') throw new Error(`pin did not pass: ${pin.stdout.slice(0, 2000)}`);
    const check = await median(3, () => cli(join(work, 'copy-0'), true));
    const checkReport = JSON.parse(check.stdout) as { result: string; requests: number };
    if (checkReport.result !== 'pass') throw new Error(`pin --check did not pass: ${check.stdout.slice(0, 2000)}`);

    const skopeo = await median(3, () => loop(distinct, 'skopeo', (i) => ['inspect', '--format', '{{.Digest}}', ...reg.skopeoArgs(), `docker://${tags[i]}`]));
    return [
      { section, tool: 'immutag pin (one process)', seconds: pin.seconds, peakRssMb: pin.peakRssMb, requests: pinReport.requests,
        note: `${pinReport.requests} registry+token requests, ${tokensPerRun} tokens per run; ${pinReport.written.length} files rewritten` },
      { section, tool: 'immutag pin --check', seconds: check.seconds, peakRssMb: check.peakRssMb, requests: checkReport.requests,
        note: `${checkReport.requests} registry+token requests` },
      { section, tool: `skopeo inspect --format '{{.Digest}}' x${distinct} (distinct tags only, no rewriting)`, seconds: skopeo.seconds, peakRssMb: skopeo.peakRssMb },
    ];
  } finally {
    await reg.stop();
    await removeLayout(image);
    await rm(work, { recursive: true, force: true });
  }
}
