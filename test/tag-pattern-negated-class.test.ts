// `[!0-9]*` means "every tag that does not start with a digit" to bash, fnmatch and
// gitignore, a natural way to say "channel tags may move, version tags may not". The
// glob compiler (picomatch) reads that `!` as a character of the class, so the pattern
// matched exactly the version tags, and a release tag already at another digest passed
// the gate (found by a review). Such a pattern is now refused, with the spelling that
// says it (`[^0-9]*`), which this file also checks against a real registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTags } from '../src/gate.ts';
import { ImmutagError } from '../src/errors.ts';
import { compileTagPatterns } from '../src/tag-pattern.ts';
import { runCli } from './support/action-runner.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { registryFor } from './support/registry.ts';
import { clientFor, refs } from './support/registry-client.ts';

test('a [!…] class is refused, and the hint spells it [^…]', async () => {
  for (const [pattern, spelt] of [['[!0-9]*', '[^0-9]*'], ['[!a]*', '[^a]*'], ['v[!0-9]*', 'v[^0-9]*']]) {
    await assert.rejects(compileTagPatterns(['latest', pattern!]), (e: unknown) => {
      assert.ok(e instanceof ImmutagError);
      assert.equal(e.code, 'INVALID_INPUT');
      assert.ok(e.message.includes(`"${pattern}"`), e.message);
      assert.match(e.message, /would match the very tags it leaves out/);
      assert.ok(e.hint.includes(spelt!), e.hint);
      return true;
    });
  }
});

test('a negation anywhere in a pattern is refused, not only a leading one', async () => {
  for (const pattern of ['v!(1)*', '{!(latest),dev}', '+(!(latest))', '*!(rc)']) {
    await assert.rejects(compileTagPatterns([pattern]), (e: unknown) =>
      e instanceof ImmutagError && e.code === 'INVALID_INPUT' && e.message.includes(`"${pattern}"`) && /every other tag/.test(e.message));
  }
});

test('[^0-9]*: tags that do not start with a digit may move, version tags may not', async () => {
  const matcher = await compileTagPatterns(['[^0-9]*']);
  for (const tag of ['latest', 'main', 'edge', 'v1.0.0']) assert.equal(matcher.isMutable(tag), true, tag);
  for (const tag of ['1.0.0', '2', '0.1-rc']) assert.equal(matcher.isMutable(tag), false, tag);
});

test('with mutable-tags [^0-9]*, a release tag already at another digest is a violation', async (t) => {
  const reg = await registryFor(t);
  const theirs = await buildImage({ files: { '/which': 'theirs\n' } });
  const { client, logger } = clientFor(reg);
  t.after(async () => {
    await client.close();
    await removeLayout(theirs);
  });
  await pushImage(reg, theirs.ociRef, 'neg/app:1.0.0');
  const gate = await checkTags({ refs: refs(reg.host, 'neg/app:1.0.0'), client, logger, mutablePatterns: ['[^0-9]*'], expectedDigest: `sha256:${'1'.repeat(64)}` });
  assert.equal(gate.results[0]?.state.kind, 'present');
  assert.equal(gate.results[0]?.verdict, 'violation');
  assert.equal(gate.result, 'violation');
});

test('CLI: check --mutable-tags "[!0-9]*" stops with the input error before asking the registry, and never says pass', async (t) => {
  const reg = await registryFor(t);
  const theirs = await buildImage({ files: { '/which': 'cli\n' } });
  t.after(() => removeLayout(theirs));
  await pushImage(reg, theirs.ociRef, 'negcli/app:1.0.0');
  const r = await runCli(['check', `${reg.host}/negcli/app:1.0.0`, '--mutable-tags', '[!0-9]*', '--insecure-registries', reg.host, '--json']);
  console.log(r.stderr);
  assert.notEqual(r.code, 0);
  const out = JSON.parse(r.stdout) as { result: string; error?: { code: string; hint: string } };
  assert.equal(out.result, 'error');
  assert.equal(out.error?.code, 'INVALID_INPUT');
  assert.match(out.error?.hint ?? '', /\[\^0-9\]\*/);
  assert.doesNotMatch(r.stderr, /PASS/);
});
