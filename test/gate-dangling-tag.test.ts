// Review: the registry's tag link exists (the tag is taken), but the manifest it names
// cannot be read from storage (eventually consistent or replicated storage that has the
// tag link before the blob, a half-finished cleanup). Distribution then answers
// 404 MANIFEST_UNKNOWN with a `Revision` in the detail, not the `Tag` it gives for a
// tag it does not know. The gate read both as "absent" and passed, and the push would
// have moved a tag that is someone else's. Now it is unknown. Real registry; its storage is altered on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkTags } from '../src/gate.ts';
import { registryFor } from './support/registry.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, refs } from './support/registry-client.ts';

test('a tag whose link exists but whose manifest cannot be read is not "absent"', async (t) => {
  const reg = await registryFor(t);
  const image = await buildImage();
  const digest = await pushImage(reg, image.ociRef, 'dangling/app:1.0');
  t.after(() => removeLayout(image));
  const hex = digest.slice('sha256:'.length);
  await rm(join(reg.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex), { recursive: true, force: true });
  // What the registry itself says about the tag and about a tag it never had.
  const raw = await fetch(`${reg.url}/v2/dangling/app/manifests/1.0`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  const missing = await fetch(`${reg.url}/v2/dangling/app/manifests/never`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  t.diagnostic(`tag 1.0: ${raw.status} ${await raw.text()}`.trim());
  t.diagnostic(`tag never: ${missing.status} ${await missing.text()}`.trim());
  const { client, logger } = clientFor(reg);
  t.after(() => client.close());
  const gate = await checkTags({ refs: refs(reg.host, 'dangling/app:1.0'), client, logger });
  const r = gate.results[0]!;
  assert.notEqual(r.state.kind, 'absent', `dangling/app:1.0 is tagged (link to ${digest}), yet the gate says ${JSON.stringify(r.state)} → ${gate.result}`);
  assert.notEqual(gate.result, 'pass');
});
