// The Action's pin inputs: `tags` may be empty when `pin` is set, globs keep their
// brace commas, and pin-check is a strict boolean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings } from '../src/settings.ts';

const getter = (inputs: Record<string, string>) => (name: string) => inputs[name];

test('pin without tags is a pin-only run; globs with braces stay whole', () => {
  const s = readSettings(getter({ pin: 'deploy/**/*.{yaml,yml}\n Dockerfile \n' }));
  assert.deepEqual(s.tags, []);
  assert.deepEqual(s.pin, ['deploy/**/*.{yaml,yml}', 'Dockerfile']);
  assert.equal(s.pinCheck, false);
  assert.equal(readSettings(getter({ pin: 'k8s', 'pin-check': 'true' })).pinCheck, true);
});

test('neither tags nor pin is a run with nothing to gate (issue 10: it passes with a notice); pin-check must be true or false', () => {
  const empty = readSettings(getter({}));
  assert.deepEqual([empty.tags, empty.pin], [[], []]);
  assert.throws(() => readSettings(getter({ pin: 'k8s', 'pin-check': 'yes' })), /pin-check/);
});

test('action.yml is valid YAML (the runner refuses to load one that is not) and declares the pin inputs', async () => {
  const { readFile } = await import('node:fs/promises');
  const { parse } = await import('yaml');
  const action = parse(await readFile(new URL('../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, { required?: boolean; default?: string }> };
  assert.equal(action.inputs['pin']?.required, false);
  assert.equal(action.inputs['pin-check']?.default, 'false');
  assert.equal(action.inputs['tags']?.required, false, 'a pin-only run has no tags');
});
