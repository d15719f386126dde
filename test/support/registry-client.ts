// A RegistryClient wired to a TestRegistry the way a user would configure immutag:
// plain-HTTP hosts listed as insecure, credentials from the inputs (or none), and a
// quick retry policy so failure tests end fast.
import { MemoryLogger } from '../../src/log.ts';
import { parseTagsInput, type TagInput } from '../../src/inputs/tags.ts';
import { RegistryClient, type RegistryClientOptions } from '../../src/registry/client.ts';
import { noCredentials, staticCredentials, type CredentialSource } from '../../src/registry/auth/credentials.ts';
import type { TestRegistry } from './registry.ts';

export const QUICK_RETRY = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, maxTotalMs: 10_000 };

export interface ClientSetup {
  /** 'inputs' (default when the registry has auth), 'none', or a ready source. */
  credentials?: 'inputs' | 'none' | CredentialSource;
  /** The registry host the client talks to (a fault proxy), if not the registry itself. */
  via?: string;
  options?: Partial<RegistryClientOptions>;
}

/** Hosts a test client may reach over plain HTTP: the registry (or proxy) and the token realm. */
export function insecureHostsFor(reg: TestRegistry, via?: string): string[] {
  const hosts: string[] = [];
  if (!reg.tls) hosts.push(reg.host);
  if (via) hosts.push(via);
  if (reg.token?.url.startsWith('http:')) hosts.push(new URL(reg.token.url).host);
  return hosts;
}

export function clientFor(reg: TestRegistry, setup: ClientSetup = {}): { client: RegistryClient; logger: MemoryLogger } {
  const logger = new MemoryLogger();
  const mode = setup.credentials ?? (reg.auth === 'none' ? 'none' : 'inputs');
  const credentials = mode === 'none' ? noCredentials : mode === 'inputs' ? staticCredentials(reg.username, reg.password) : mode;
  const client = new RegistryClient({
    logger,
    credentials,
    insecureRegistries: insecureHostsFor(reg, setup.via),
    retry: QUICK_RETRY,
    ...setup.options,
  });
  return { client, logger };
}

/** Parsed tag references on `host` (the registry's or a proxy's): `refs(host, 'app:1.0', 'app:2.0')`. */
export function refs(host: string, ...repoTags: string[]): TagInput[] {
  return parseTagsInput(repoTags.map((rt) => `${host}/${rt}`).join('\n'));
}
