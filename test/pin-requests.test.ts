// What pin costs the registry, counted (never timed): one HEAD per distinct tag
// however many files repeat it, one token per repository, one ping; --check the same.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';
import { runPin } from '../src/pin/pin.ts';
import { MemoryLogger } from '../src/log.ts';

const reg = await useRegistry({ auth: 'token' });
let image: BuiltImage;
let dir: string;

before(async () => {
  image = await buildImage();
  dir = await mkdtemp(join(tmpdir(), 'immutag-pin-requests-'));
  const refs: string[] = [];
  for (const repo of ['a', 'b', 'c']) {
    for (const tag of ['1.0', '2.0']) {
      await pushImage(reg, image.ociRef, `count/${repo}:${tag}`);
      refs.push(`${reg.host}/count/${repo}:${tag}`);
    }
  }
  // 4 files x 6 references: 24 references, 6 distinct tags in 3 repositories.
  for (let f = 0; f < 4; f++) {
    await writeFile(join(dir, `d${f}.yaml`), refs.map((r, i) => `---\nkind: Pod\nspec: {containers: [{name: c${i}, image: ${r}}]}\n`).join(''));
  }
});

after(async () => {
  await removeLayout(image);
  await rm(dir, { recursive: true, force: true });
});

for (const check of [false, true]) {
  test(`${check ? 'pin --check' : 'pin'}: 24 references, 6 distinct tags in 3 repositories → one ping, 3 tokens, 6 HEADs`, async () => {
    const { client } = clientFor(reg);
    try {
      const r = await runPin({ paths: ['.'], cwd: dir, check, mutableTags: [], logger: new MemoryLogger(), client });
      assert.equal(r.result, 'pass', JSON.stringify(r.rows.filter((row) => row.state !== 'pinned' && row.state !== 'up-to-date')));
      assert.equal(r.rows.length, 24);
      assert.equal(await client.tokensFetched(reg.host), 3);
      assert.equal(r.requests, 1 + 3 + 6);
      if (!check) assert.equal(r.written.length, 4);
    } finally {
      await client.close();
    }
  });
}
