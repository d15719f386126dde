// A Helm image: map is read as Helm reads values: sigs.k8s.io/yaml, i.e. go-yaml v2,
// whose decoder applies a `<<:` where it stands among the keys (decode.go, mapping():
// merge, then SetMapIndex per key), so a key written BEFORE `<<: *base` is overwritten
// by base's value. (go-yaml v3, the YAML spec and Compose let the map's own key win
// wherever it is written.) Here Helm renders redis:7.2@<7.2's digest>: pinned and
// current, so --check passes; reading the own tag 7.4 would report it as moved.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { useRegistry } from './support/registry.ts';
import { buildImage, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';
import { runPin } from '../src/pin/pin.ts';
import { MemoryLogger } from '../src/log.ts';

const reg = await useRegistry();
let one: BuiltImage;
let two: BuiltImage;

before(async () => {
  one = await buildImage({ files: { '/v': '7.2\n' } });
  two = await buildImage({ files: { '/v': '7.4\n' } });
  await pushImage(reg, one.ociRef, 'library/redis:7.2');
  await pushImage(reg, two.ociRef, 'library/redis:7.4');
});
after(async () => { await removeLayout(one); await removeLayout(two); });

test('--check: a key written before `<<:` is overridden by the merge, as Helm (go-yaml v2) reads values', async (t) => {
  const redis72 = await inspectDigest(reg, 'library/redis:7.2');
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-merge-order-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'deploy/values.yaml': [
      'primary:',
      '  image: &redis',
      `    repository: ${reg.host}/library/redis`,
      '    tag: "7.2"',
      `    digest: ${redis72}`,
      'replica:',
      '  image:',
      '    tag: "7.4"',
      '    <<: *redis',
      '',
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const { client } = clientFor(reg);
  try {
    const r = await runPin({ paths: ['deploy'], cwd: dir, check: true, mutableTags: [], logger: new MemoryLogger(), client });
    const rows = JSON.stringify(r.rows.map((row) => `${row.file}:${row.line} ${row.reference} ${row.state}`));
    const replica = r.rows.find((row) => row.line >= 7);
    assert.equal(replica?.reference, `${reg.host}/library/redis:7.2@${redis72}`, `Helm renders the merged tag: ${rows}`);
    assert.notEqual(r.result, 'violation', rows);
  } finally {
    await client.close();
  }
});
