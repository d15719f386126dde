// What immutag may present to a registry, and where it came from. Sources are
// tried in order (explicit inputs, Docker config, containers auth.json), the first
// that knows the registry wins, and nothing found means anonymous.
import { registryKey } from '../origin.ts';
import type { Logger } from '../../log.ts';
import { registerSecret } from '../../secrets.ts';

export type Credential =
  | { kind: 'basic'; username: string; password: string; source: string }
  /** An OAuth2 refresh token (Docker config `identitytoken`), exchanged at the token realm. */
  | { kind: 'identity-token'; username?: string; token: string; source: string }
  /** A bearer token to send as is (Docker config `registrytoken`). */
  | { kind: 'registry-token'; token: string; source: string };

export interface CredentialSource {
  /**
   * Credentials for `registry` (`docker.io`, `ghcr.io`, `127.0.0.1:5000`), or undefined.
   * `repository` lets sources with per-repository entries (containers auth.json) pick the
   * most specific one.
   */
  lookup(registry: string, repository?: string): Promise<Credential | undefined>;
}

/**
 * Credentials given as inputs, for the listed registries only (every registry when
 * omitted). Names compare canonically: `Registry.Example.com:443` is `registry.example.com`.
 */
export function staticCredentials(username: string, password: string, registries?: readonly string[]): CredentialSource {
  const allowed = registries === undefined ? undefined : new Set(registries.map(registryKey));
  return {
    async lookup(registry) {
      if (allowed !== undefined && !allowed.has(registryKey(registry))) return undefined;
      return { kind: 'basic', username, password, source: 'the username and password given to immutag (inputs, or the CLI\'s --username)' };
    },
  };
}

export function chainCredentials(sources: readonly CredentialSource[]): CredentialSource {
  return {
    async lookup(registry, repository) {
      for (const source of sources) {
        const found = await source.lookup(registry, repository);
        if (found !== undefined) return found;
      }
      return undefined;
    },
  };
}

/** Anonymous everywhere. */
export const noCredentials: CredentialSource = { lookup: async () => undefined };

/**
 * The user a token GET names beside an identity token that came without one (the
 * spec's Basic fallback when the token server does not take the OAuth2 POST).
 */
export const IDENTITY_TOKEN_USER = '<token>';

/**
 * Tells the logger and the scrubber every secret part of a credential, in every form it
 * is sent in: an identity token also travels as Basic base64(user:token).
 */
export function maskCredential(logger: Logger, credential: Credential | undefined): void {
  if (credential === undefined) return;
  const parts = credential.kind === 'basic'
    ? [credential.password, basicValue(credential.username, credential.password)]
    : credential.kind === 'identity-token'
      ? [credential.token, basicValue(credential.username ?? IDENTITY_TOKEN_USER, credential.token)]
      : [credential.token];
  for (const part of parts) {
    logger.secret(part);
    registerSecret(part);
  }
}

/** The base64 part of a Basic Authorization header. */
export function basicValue(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/** Where a credential came from, safe to print. */
export function describeCredential(credential: Credential | undefined): string {
  if (credential === undefined) return 'anonymous';
  const who = credential.kind === 'basic' ? ` as ${credential.username}` : '';
  return `${credential.kind} credentials${who} from ${credential.source}`;
}
