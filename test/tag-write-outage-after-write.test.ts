// A push that fails halfway because the registry stopped answering. The tag it wrote
// and read back before the outage is still at this run's digest in the registry: the
// settle read after the failure cannot read it, and it stays reported as written (the
// report lists the tags this job wrote; a settle read that fails itself changes nothing).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLogger } from '../src/log.ts';
import { runImmutag } from '../src/run.ts';
import { readSettings } from '../src/settings.ts';
import { finalLine } from '../src/report/final-line.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { buildImage, inspectDigest, removeLayout, type BuiltImage } from './support/images.ts';
import { useRegistry } from './support/registry.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
let ours: BuiltImage;

before(async () => {
  ours = await buildImage({ files: { '/id': 'ours-outage' } });
});

after(async () => {
  await removeLayout(ours);
});

test('the registry stops answering after 1.0 was written: 1.0 is still reported as written, and the run does not say no tag was written', { timeout: 120_000 }, async () => {
  const proxy = await startFaultProxy(reg.url, []);
  try {
    const tags = ['outage/app:1.0', 'outage/app:1.1'];
    const all: Record<string, string> = { 'insecure-registries': proxy.host, tags: tags.map((t) => `${proxy.host}/${t}`).join('\n'), image: ours.layout, scan: 'none' };
    const out = await runImmutag(readSettings((name) => all[name]), {
      logger: new MemoryLogger(), env: {},
      hooks: {
        settle: { clock: virtualClock() },
        // The registry goes down (manifests answer 503) right before 1.1's check.
        beforeTagWrite: async (ref) => {
          if (ref.tag === '1.1') proxy.setRules([{ path: /\/manifests\//, action: { kind: 'status', status: 503 } }]);
        },
      },
    });
    proxy.setRules([]);
    assert.equal(out.report.result, 'error');
    assert.equal(await inspectDigest(reg, 'outage/app:1.0'), out.report.image?.digest, 'the registry holds 1.0 at this run\'s digest');
    const [first] = out.report.tags;
    const line = finalLine(out.report);
    console.log(JSON.stringify(first), '\n', line, '\n', JSON.stringify(out.outputs.pushed));
    assert.equal(first?.state, 'created', `1.0 was written and read back as ours: ${JSON.stringify(first)}`);
    assert.deepEqual(Object.keys(out.outputs.pushed ?? {}), [`${proxy.host}/outage/app:1.0`]);
    assert.doesNotMatch(line, /no tag was written/);
  } finally {
    await proxy.stop();
  }
});
