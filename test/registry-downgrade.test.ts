// An HTTPS registry whose manifest reads are redirected to plain HTTP: the answer
// could come from anyone on the path, so it is not followed unless the target host
// is listed insecure. Here the plain-HTTP side serves another image under the same
// tag, as an attacker on the path would, and `verify` of that image's digest must not pass.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { ImmutagError } from '../src/errors.ts';
import { checkTags } from '../src/gate.ts';
import { parseReference } from '../src/reference.ts';
import { registryFor } from './support/registry.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, refs } from './support/registry-client.ts';
import { makeTls } from './support/tls.ts';

async function downgradeSetup(t: TestContext) {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-downgrade-'));
  const tls = await makeTls(dir);
  // This process trusts the test CA, as NODE_EXTRA_CA_CERTS would at startup.
  setDefaultCACertificates([...getCACertificates('default'), await readFile(tls.caFile, 'utf8')]);
  const [reg, elsewhereReg] = await Promise.all([registryFor(t), registryFor(t)]);
  const [ours, theirs] = await Promise.all([buildImage(), buildImage({ files: { 'planted.txt': 'not what the tag holds' } })]);
  const digest = await pushImage(reg, ours.ociRef, 'down/app:1.0');
  const planted = await pushImage(elsewhereReg, theirs.ociRef, 'down/app:1.0');
  const elsewhere = await startFaultProxy(elsewhereReg.url);
  const front = await startFaultProxy(reg.url, [{ path: /\/manifests\//, action: { kind: 'redirect', base: elsewhere.url } }],
    { tls: { cert: await readFile(tls.certFile, 'utf8'), key: await readFile(tls.keyFile, 'utf8') } });
  t.after(async () => {
    await front.stop();
    await elsewhere.stop();
    await Promise.all([removeLayout(ours), removeLayout(theirs)]);
    await rm(dir, { recursive: true, force: true });
  });
  return { reg, front, elsewhere, digest, planted };
}

test('a redirect from HTTPS to plain HTTP is refused: verify does not pass the planted digest', async (t) => {
  const { reg, front, elsewhere, planted } = await downgradeSetup(t);
  assert.ok(front.url.startsWith('https://'));
  const { client, logger } = clientFor(reg, { options: { insecureRegistries: [] } });
  t.after(() => client.close());

  const gate = await checkTags({ refs: refs(front.host, 'down/app:1.0'), client, logger, expectedDigest: planted });

  const result = gate.results[0]!;
  assert.ok(result.state.kind === 'unknown', JSON.stringify(result.state));
  assert.match(result.state.reason, /from https:\/\/127\.0\.0\.1:\d+ to http:\/\/127\.0\.0\.1:\d+/);
  assert.match(result.state.hint, /insecure-registries/);
  assert.equal(gate.result, 'error');
  assert.equal(elsewhere.count(), 0, 'the plain-HTTP host is never asked');

  await assert.rejects(client.getManifest(parseReference(`${front.host}/down/app:1.0`)),
    (e: unknown) => e instanceof ImmutagError && e.code === 'REGISTRY_ERROR' && /plain HTTP/.test(e.message));
});

test('a plain-HTTP host listed insecure may be redirected to', async (t) => {
  const { reg, front, elsewhere, planted } = await downgradeSetup(t);
  const { client } = clientFor(reg, { options: { insecureRegistries: [elsewhere.host] } });
  t.after(() => client.close());

  const state = await client.manifestState(parseReference(`${front.host}/down/app:1.0`));

  assert.ok(state.kind === 'present', JSON.stringify(state));
  assert.equal(state.digest, planted, 'the user chose to trust that host');
});
