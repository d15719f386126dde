// What a refused tag PUT means: a violation only when the registry says the tag is
// taken or immutable, or a read shows another digest; anything else is an error in the
// registry's own words, and the user is not told to bump a version nobody holds. The
// fault proxy answers the tag PUT (by tag, not the by-digest PUTs before it) the way
// each registry does; everything else reaches the real registry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { openImage, type LocalImage } from '../src/image/open-image.ts';
import { pushImage } from '../src/registry/push.ts';
import { classifyTagRefusal } from '../src/registry/tag-refusal.ts';
import { startFaultProxy, type FaultRule } from './support/fault-proxy.ts';
import { buildImage, inspectDigest, pushImage as skopeoPush, removeLayout, type BuiltImage } from './support/images.ts';
import { useRegistry } from './support/registry.ts';
import { clientFor, refs } from './support/registry-client.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
let ours: { built: BuiltImage; local: LocalImage };
let theirs: { built: BuiltImage; local: LocalImage };

before(async () => {
  ours = await image('ours');
  theirs = await image('theirs');
});

after(async () => {
  for (const x of [ours, theirs]) {
    await x.local.close();
    await removeLayout(x.built);
  }
});

async function image(which: string): Promise<{ built: BuiltImage; local: LocalImage }> {
  const built = await buildImage({ files: { '/which': `${which}\n` } });
  return { built, local: await openImage(built.layout) };
}

const errors = (code: string, message: string) => JSON.stringify({ errors: [{ code, message }] });

interface Case {
  name: string;
  status: number;
  body: string;
  /** Another job writes the tag while our PUT is in flight. */
  otherWriter?: boolean;
  code: 'TAG_EXISTS' | 'TAG_MOVED' | 'REGISTRY_ERROR';
  words: RegExp;
}

const cases: Case[] = [
  // Errors: a new tag refused for reasons that are not about the tag being taken.
  { name: '400 MANIFEST_BLOB_UNKNOWN', status: 400, body: errors('MANIFEST_BLOB_UNKNOWN', 'blob unknown to registry'), code: 'REGISTRY_ERROR', words: /MANIFEST_BLOB_UNKNOWN: blob unknown to registry/ },
  { name: '413 quota', status: 413, body: errors('DENIED', 'storage quota exceeded for the project'), code: 'REGISTRY_ERROR', words: /storage quota exceeded/ },
  { name: '409 read-only', status: 409, body: errors('UNSUPPORTED', 'the registry is in read-only mode'), code: 'REGISTRY_ERROR', words: /read-only mode/ },
  { name: 'ACR locked repository, tag absent', status: 405, body: errors('REGISTRY_DISALLOWED_OPERATION', 'The operation is disallowed on this registry, repository or image.'), code: 'REGISTRY_ERROR', words: /disallowed/ },
  // Violations in the registry's own words.
  { name: 'ECR immutable', status: 400, body: errors('TAG_INVALID', "The image tag '1.0' already exists in the 'x' repository and cannot be overwritten because the tag is immutable."), code: 'TAG_EXISTS', words: /cannot be overwritten/ },
  { name: 'Harbor immutability rule', status: 412, body: errors('PRECONDITION', "Failed to process request due to 'x:1.0' configured as immutable."), code: 'TAG_EXISTS', words: /configured as immutable/ },
  { name: 'Docker Hub immutable tags', status: 403, body: errors('DENIED', 'requested access to the resource is denied - This tag is already assigned to an image in this repository and cannot be updated due to immutability settings.'), code: 'TAG_EXISTS', words: /immutability settings/ },
  { name: 'Artifact Registry immutable tags', status: 400, body: errors('MANIFEST_INVALID', 'The repository has enabled tag immutability.'), code: 'TAG_EXISTS', words: /tag immutability/ },
  // Violations shown by a read: another job holds the tag now.
  { name: 'ACR locked tag written by another job', status: 405, body: errors('REGISTRY_DISALLOWED_OPERATION', 'The operation is disallowed on this registry, repository or image.'), otherWriter: true, code: 'TAG_MOVED', words: /another pusher/ },
  { name: 'an unknown 400 while another job wrote the tag', status: 400, body: errors('UNKNOWN', 'something else'), otherWriter: true, code: 'TAG_MOVED', words: /another pusher/ },
];

for (const [i, c] of cases.entries()) {
  test(`tag PUT refused (${c.name}): ${c.code}`, async () => {
    const repo = `refusal/case${i}`;
    const rule: FaultRule = {
      method: 'PUT', path: /\/manifests\/1\.0$/, times: 1, action: { kind: 'status', status: c.status, body: c.body },
      ...(c.otherWriter ? { during: async () => void await skopeoPush(reg, theirs.built.ociRef, `${repo}:1.0`) } : {}),
    };
    const proxy = await startFaultProxy(reg.url, [rule]);
    const { client, logger } = clientFor(reg, { via: proxy.host });
    try {
      await assert.rejects(pushImage({ client, image: ours.local, refs: refs(proxy.host, `${repo}:1.0`), logger, settle: { clock: virtualClock() } }), (err: Error & { code?: string; hint?: string }) => {
        assert.equal(err.code, c.code, err.message);
        assert.match(err.message, c.words);
        if (c.code === 'REGISTRY_ERROR') {
          assert.doesNotMatch(`${err.message} ${err.hint}`, /Bump the version/, 'an error is not a violation');
          assert.match(err.message, /the tag was not written/);
        }
        if (c.code === 'TAG_MOVED') assert.ok(err.message.includes(theirs.local.top.digest), err.message);
        return true;
      });
      if (c.otherWriter) assert.equal(await inspectDigest(reg, `${repo}:1.0`), theirs.local.top.digest, 'the other job keeps the tag');
      else assert.equal((await client.manifestState(refs(proxy.host, `${repo}:1.0`)[0]!)).kind, 'absent');
    } finally {
      await client.close();
      await proxy.stop();
    }
  });
}

test('the refusal table: statuses and words', () => {
  assert.equal(classifyTagRefusal(401, 'UNAUTHORIZED'), 'auth');
  assert.equal(classifyTagRefusal(403, 'DENIED: requested access to the resource is denied'), 'auth');
  assert.equal(classifyTagRefusal(403, 'DENIED: tag 1.0 is protected and cannot be overwritten'), 'protected');
  assert.equal(classifyTagRefusal(409, 'CONFLICT: tag latest already exists under the repository 111'), 'protected');
  assert.equal(classifyTagRefusal(400, 'TAG_IS_LOCKED: write operation not allowed'), 'locked');
  assert.equal(classifyTagRefusal(404, 'NAME_UNKNOWN: repository name not known to registry'), 'other');
  assert.equal(classifyTagRefusal(400, 'MANIFEST_INVALID: manifest invalid'), 'other');
  assert.equal(classifyTagRefusal(400, 'TAG_INVALID: manifest tag did not match URI'), 'other');
});

test('the by-digest manifest PUT answer names other bytes: DIGEST_MISMATCH, nothing tagged', async () => {
  const rewritten = `sha256:${'0'.repeat(64)}`;
  const proxy = await startFaultProxy(reg.url, [{ method: 'PUT', path: /\/manifests\/sha256:/, action: { kind: 'set-headers', headers: { 'docker-content-digest': rewritten } } }]);
  const { client, logger } = clientFor(reg, { via: proxy.host });
  try {
    const tag = refs(proxy.host, 'guard/digest:1.0');
    await assert.rejects(pushImage({ client, image: ours.local, refs: tag, logger, settle: { clock: virtualClock() } }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'DIGEST_MISMATCH', err.message);
      assert.ok(err.message.includes(rewritten), err.message);
      return true;
    });
    assert.equal(proxy.count('PUT', /\/manifests\/1\.0$/), 0, 'no tag PUT after the content was stored as other bytes');
    assert.equal((await client.manifestState(tag[0]!)).kind, 'absent');
  } finally {
    await client.close();
    await proxy.stop();
  }
});

test('the tag PUT answer names another digest after the tag was written: the read-back decides', async () => {
  const other = `sha256:${'1'.repeat(64)}`;
  const proxy = await startFaultProxy(reg.url, [{ method: 'PUT', path: /\/manifests\/1\.0$/, action: { kind: 'set-headers', headers: { 'docker-content-digest': other } } }]);
  const { client, logger } = clientFor(reg, { via: proxy.host });
  try {
    const result = await pushImage({ client, image: ours.local, refs: refs(proxy.host, 'guard/tagheader:1.0'), logger, settle: { clock: virtualClock() } });
    assert.deepEqual(Object.values(result.pushed), ['created'], 'the tag names our bytes: it was written');
    assert.equal(await inspectDigest(reg, 'guard/tagheader:1.0'), ours.local.top.digest);
    assert.ok(logger.lines.some((l) => l.includes(other) && l.includes('reads back')), 'the odd header is reported');
  } finally {
    await client.close();
    await proxy.stop();
  }
});

test('a registry that names what it stored by sha512 is not a rewrite: the push lands, each claim checked in its own algorithm', async () => {
  const top = ours.local.manifests.get(ours.local.top.digest)!;
  const sha512 = `sha512:${createHash('sha512').update(top).digest('hex')}`;
  // Every PUT's answer (blob uploads, the manifest by digest, the tag, the reads back) names the bytes by sha512.
  const proxy = await startFaultProxy(reg.url, [
    { path: /\/manifests\//, action: { kind: 'set-headers', headers: { 'docker-content-digest': sha512 } } },
    { method: 'PUT', path: /\/blobs\/uploads\//, action: { kind: 'set-headers', headers: { 'docker-content-digest': `sha512:${'a'.repeat(128)}` } } },
  ]);
  const { client, logger } = clientFor(reg, { via: proxy.host });
  try {
    const result = await pushImage({ client, image: ours.local, refs: refs(proxy.host, 'guard/sha512:1.0'), logger, settle: { clock: virtualClock() } });
    assert.deepEqual(Object.values(result.pushed), ['created']);
    assert.equal(await inspectDigest(reg, 'guard/sha512:1.0'), ours.local.top.digest);
    assert.ok(!logger.lines.some((l) => l.includes(sha512)), `a true sha512 name is not reported as odd: ${logger.lines.join('\n')}`);
  } finally {
    await client.close();
    await proxy.stop();
  }

  // The same claim over bytes it does not hash to is still a rewrite.
  const lie = `sha512:${'0'.repeat(128)}`;
  const liar = await startFaultProxy(reg.url, [{ method: 'PUT', path: /\/manifests\/sha256:/, action: { kind: 'set-headers', headers: { 'docker-content-digest': lie } } }]);
  const second = clientFor(reg, { via: liar.host });
  try {
    await assert.rejects(pushImage({ client: second.client, image: ours.local, refs: refs(liar.host, 'guard/sha512lie:1.0'), logger: second.logger, settle: { clock: virtualClock() } }),
      (err: Error & { code?: string }) => err.code === 'DIGEST_MISMATCH' && err.message.includes(lie));
  } finally {
    await second.client.close();
    await liar.stop();
  }
});
