// The scrubber: every registered secret, in the forms an echo takes (raw, JSON-escaped,
// URL- and form-encoded), is masked in text and in plain data; the report files pass
// through it.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MemoryLogger } from '../src/log.ts';
import { IDENTITY_TOKEN_USER, maskCredential } from '../src/registry/auth/credentials.ts';
import { Secrets, registerSecret, scrub } from '../src/secrets.ts';
import { registryWords } from '../src/registry/tag-refusal.ts';
import { writeReports } from '../src/scan/scan.ts';
import { sampleContext } from './support/scan-context.ts';

describe('Secrets', () => {
  it('masks a secret in every form an echo takes, longest first', () => {
    const s = new Secrets();
    const password = 'p@ss "w/rd"+&=';
    s.add(password);
    s.add(Buffer.from(`alice:${password}`).toString('base64'));
    const json = JSON.stringify({ message: `bad password ${password}` });
    const form = new URLSearchParams({ password }).toString();
    assert.equal(s.scrub(json), '{"message":"bad password ***"}');
    assert.equal(s.scrub(form), 'password=***');
    assert.equal(s.scrub(`url ${encodeURIComponent(password)}`), 'url ***');
    assert.equal(s.scrub(`Authorization: Basic ${Buffer.from(`alice:${password}`).toString('base64')}`), 'Authorization: Basic ***');
  });

  it('the form-encoded form is the one URLSearchParams writes, for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 4 }), (value) => {
      const s = new Secrets();
      s.add(value);
      const form = new URLSearchParams({ v: value }).toString().slice(2);
      assert.equal(s.scrub(`v=${form}&x=1`), 'v=***&x=1');
    }), { numRuns: 500 });
    const s = new Secrets();
    s.add('tok\ud800en-lone');
    assert.equal(s.scrub('tok\ud800en-lone'), '***', 'a lone surrogate is registered, not thrown');
    s.add("it's (a) ~secret! *");
    assert.equal(s.scrub(new URLSearchParams({ p: "it's (a) ~secret! *" }).toString()), 'p=***');
  });

  it('ignores values too short to mask without masking ordinary words, and empty ones', () => {
    const s = new Secrets();
    s.add('abc');
    s.add('');
    s.add(undefined);
    assert.equal(s.size, 0);
    assert.equal(s.scrub('abc abc'), 'abc abc');
  });

  it('scrubs plain data deeply and leaves other objects as they are', () => {
    const s = new Secrets();
    s.add('tok-123456');
    const when = new Date(0);
    const out = s.scrubDeep({ a: ['x tok-123456 y', 1, null, { b: 'tok-123456' }], when, n: 2 });
    assert.deepEqual(out, { a: ['x *** y', 1, null, { b: '***' }], when, n: 2 });
    assert.equal(out.when, when);
  });

  it('a credential looked up is registered with the process scrubber, whatever the logger does with it', async () => {
    const logger = new MemoryLogger();
    maskCredential({ debug() {}, info() {}, warning() {}, error() {}, group: (_t, fn) => fn(), secret() {} }, { kind: 'identity-token', token: 'refresh-token-abcdef', source: 'test' });
    logger.info('echo: refresh-token-abcdef');
    assert.deepEqual(logger.lines, ['echo: ***']);
  });
});

describe('report files', () => {
  it('JSON, SARIF and CycloneDX files never hold a registered secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'immutag-secret-reports-'));
    try {
      registerSecret('ghs_report_file_secret');
      const ctx = await sampleContext();
      ctx.notes = ['the OSV server said: token ghs_report_file_secret is invalid'];
      ctx.result.platforms[0]!.notes.push('echo ghs_report_file_secret');
      ctx.imageRef = 'registry.example/app:ghs_report_file_secret';
      const { written } = await writeReports({ report: join(dir, 'r.json'), sarif: join(dir, 'r.sarif'), sbom: join(dir, 'r.cdx.json') }, ctx);
      for (const path of Object.values(written)) {
        const text = await readFile(path, 'utf8');
        assert.ok(!text.includes('ghs_report_file_secret'), path);
      }
      assert.match(await readFile(written.report!, 'utf8'), /token \*\*\* is invalid/);
      assert.equal(ctx.notes[0], 'the OSV server said: token ghs_report_file_secret is invalid', 'the caller\'s data is not changed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('credentials', () => {
  it('an identity token is masked in the Basic form the token GET sends it in (with and without a username)', () => {
    for (const username of ['ci', undefined]) {
      const token = `refresh-${username ?? 'anon'}-SECRET-abcdef123456`;
      maskCredential(new MemoryLogger(), { kind: 'identity-token', token, source: 'test', ...(username ? { username } : {}) });
      const header = `Basic ${Buffer.from(`${username ?? IDENTITY_TOKEN_USER}:${token}`).toString('base64')}`;
      const said = scrub(`{"errors":[{"code":"DENIED","message":"bad request, got Authorization: ${header}"}]}`);
      assert.ok(!said.includes(header.slice(6)), said);
    }
  });
});

describe('registry words', () => {
  it('a credential echoed across the 300-character cut is masked whole, not half printed', () => {
    const token = 'straddling-SECRET-token-0123456789abcdef';
    registerSecret(token);
    const words = registryWords([{ code: 'DENIED', message: `${'x'.repeat(280)} ${token} more` }]);
    assert.ok(!words.includes(token.slice(0, 8)), words);
  });
});
