// The gate against the real registry in every auth mode it supports: anonymous,
// htpasswd Basic (inputs and a Docker config file), Bearer tokens (RS256/ES256,
// x5c/kid, `token`/`access_token`, an identity token through the OAuth2 POST).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTags } from '../src/gate.ts';
import { configFileCredentials } from '../src/registry/auth/docker-config.ts';
import type { CredentialSource } from '../src/registry/auth/credentials.ts';
import { registryFor, type StartOptions, type TestRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { clientFor, refs } from './support/registry-client.ts';

async function dockerConfigFor(reg: TestRegistry, entry: Record<string, string>): Promise<{ source: CredentialSource; cleanup: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'immutag-auth-home-'));
  await mkdir(join(home, '.docker'));
  await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [reg.host]: entry } }));
  return { source: configFileCredentials({ env: {}, home }), cleanup: () => rm(home, { recursive: true, force: true }) };
}

const basicEntry = (reg: TestRegistry) => ({ auth: Buffer.from(`${reg.username}:${reg.password}`).toString('base64') });

interface Mode {
  name: string;
  start: StartOptions;
  /** Docker config entry to use instead of the inputs. */
  configEntry?: (reg: TestRegistry) => Record<string, string>;
}

const modes: Mode[] = [
  { name: 'anonymous', start: {} },
  { name: 'htpasswd, credentials from inputs', start: { auth: 'htpasswd' } },
  { name: 'htpasswd, credentials from a Docker config file', start: { auth: 'htpasswd' }, configEntry: basicEntry },
  { name: 'token RS256 x5c', start: { auth: 'token', tokenAlg: 'RS256', tokenKey: 'x5c' } },
  { name: 'token RS256 kid', start: { auth: 'token', tokenAlg: 'RS256', tokenKey: 'kid' } },
  { name: 'token ES256 x5c, answer in access_token only', start: { auth: 'token', tokenAlg: 'ES256', tokenKey: 'x5c', tokenField: 'access_token' } },
  { name: 'token ES256 kid, answer in token only', start: { auth: 'token', tokenAlg: 'ES256', tokenKey: 'kid', tokenField: 'token' } },
  { name: 'token, Docker config with auth', start: { auth: 'token' }, configEntry: basicEntry },
  { name: 'token, Docker config identitytoken (OAuth2 refresh POST)', start: { auth: 'token', refreshToken: 'refresh-4711' },
    configEntry: () => ({ auth: Buffer.from('<token>:').toString('base64'), identitytoken: 'refresh-4711' }) },
];

test('the gate sees existing and new tags in every auth mode', async (t) => {
  const image: BuiltImage = await buildImage();
  t.after(() => removeLayout(image));
  for (const mode of modes) {
    await t.test(mode.name, async (st) => {
      const reg = await registryFor(st, mode.start);
      const config = mode.configEntry ? await dockerConfigFor(reg, mode.configEntry(reg)) : undefined;
      const { client, logger } = clientFor(reg, config ? { credentials: config.source } : {});
      try {
        const digest = await pushImage(reg, image.ociRef, 'auth/app:1.0');
        const gate = await checkTags({ refs: refs(reg.host, 'auth/app:1.0', 'auth/app:2.0', 'auth/never:1.0'), client, logger });
        assert.deepEqual(gate.results.map((r) => r.verdict), ['violation', 'new', 'new']);
        const state = gate.results[0]!.state;
        assert.ok(state.kind === 'present');
        assert.equal(state.digest, digest);
        assert.equal(state.mediaType, 'application/vnd.oci.image.manifest.v1+json');
        assert.ok(state.size > 0);
        assert.equal(gate.result, 'violation');
        assert.deepEqual(gate.existing, [{ tag: `${reg.host}/auth/app:1.0`, digest }]);
        if (mode.start.refreshToken) {
          assert.ok(reg.token!.issued.some((i) => i.method === 'POST' && i.account === reg.username), 'the identity token went through the OAuth2 POST');
        }
        if (mode.start.auth !== undefined) {
          assert.ok(logger.lines.every((l) => !l.includes(reg.password)), 'the password never reaches the log');
        }
      } finally {
        await client.close();
        await config?.cleanup();
      }
    });
  }
});
