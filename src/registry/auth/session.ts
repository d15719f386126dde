// The authentication state of one registry for one run: which scheme its challenge
// asked for, the credentials found for each repository, and the bearer tokens.
import { ImmutagError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { coversScopes, normaliseScopes } from '../scope.ts';
import { basicAuthorization } from './basic.ts';
import { BearerTokens } from './bearer.ts';
import { parseChallenges, pickChallenge, type Challenge } from './challenge.ts';
import { describeCredential, maskCredential, type Credential, type CredentialSource } from './credentials.ts';
import type { TokenContext } from './token.ts';
import type { TokenGrants } from './token-grants.ts';

export class RegistryAuth {
  readonly registry: string;
  private challenge: Challenge | undefined;
  private tokens: BearerTokens | undefined;
  private readonly credentials: CredentialSource;
  private readonly found = new Map<string, Promise<Credential | undefined>>();
  private readonly ctx: TokenContext;
  private readonly logger: Logger;

  constructor(registry: string, challenge: Challenge | undefined, credentials: CredentialSource, ctx: TokenContext) {
    this.registry = registry;
    this.credentials = credentials;
    this.ctx = ctx;
    this.logger = ctx.logger;
    this.adopt(challenge);
  }

  get scheme(): 'none' | 'basic' | 'bearer' {
    return this.challenge === undefined ? 'none' : this.challenge.scheme === 'bearer' ? 'bearer' : 'basic';
  }

  /** Tokens fetched for this registry so far. */
  get tokensFetched(): number {
    return this.tokens?.fetched ?? 0;
  }

  /** The credential for `repository` on this registry, looked up once and masked. */
  credential(repository: string): Promise<Credential | undefined> {
    let found = this.found.get(repository);
    if (found === undefined) {
      found = this.credentials.lookup(this.registry, repository).then((credential) => {
        maskCredential(this.logger, credential);
        this.logger.debug(`${this.registry}/${repository}: ${describeCredential(credential)}`);
        return credential;
      });
      this.found.set(repository, found);
    }
    return found;
  }

  /** The Authorization value for a request on `repository` needing `scopes`; undefined goes anonymous. */
  async authorization(repository: string, scopes: readonly string[]): Promise<string | undefined> {
    if (this.scheme === 'none') return this.unaskedBasic(repository);
    const credential = await this.credential(repository);
    if (this.tokens === undefined) {
      if (credential !== undefined && credential.kind !== 'basic') {
        // Going anonymous instead would let a registry that hides private repositories
        // from strangers (404) read as "absent".
        throw new ImmutagError('AUTH_FAILED', `${this.registry} asks for Basic authentication, which ${describeCredential(credential)} cannot answer`, {
          hint: 'Give a username and password for this registry (inputs, docker login with a password), or remove the token entry from the Docker config.',
        });
      }
      return basicAuthorization(credential);
    }
    return this.tokens.authorization(scopes, credential, credentialKey(credential));
  }

  /** What the bearer token in `authorization` says it grants; undefined for Basic and for tokens that do not say. */
  grants(authorization: string | undefined): TokenGrants | undefined {
    return authorization === undefined || this.tokens === undefined ? undefined : this.tokens.grants(authorization);
  }

  /**
   * A registry whose /v2/ asks for nothing may still hide private repositories from
   * strangers (404 NAME_UNKNOWN), and an anonymous 404 would read as "absent": a username
   * and password given for it go along anyway, as Basic (crane does the same), to the
   * registry's own origin only (http.ts). Tokens cannot be sent unasked: without a
   * challenge there is no realm to get one from.
   */
  private async unaskedBasic(repository: string): Promise<string | undefined> {
    const credential = await this.credential(repository);
    return credential?.kind === 'basic' ? basicAuthorization(credential) : undefined;
  }

  /**
   * Reacts to a 401: adopts a new challenge, widens the scopes on `insufficient_scope`,
   * drops a rejected token. Returns the scopes to try once more with, or undefined when
   * another try cannot change the answer.
   */
  async onUnauthorized(repository: string, scopes: readonly string[], wwwAuthenticate: string | string[] | undefined): Promise<string[] | undefined> {
    const challenge = pickChallenge(parseChallenges(wwwAuthenticate));
    if (challenge === undefined) return undefined;
    const credential = await this.credential(repository);
    if (challenge.scheme !== this.scheme) {
      if (this.scheme === 'bearer') return undefined; // never step down from tokens to Basic
      this.adopt(challenge); // /v2/ was open or Basic, but this resource wants something else
      return normaliseScopes([...scopes, ...challengeScopes(challenge)]);
    }
    if (this.tokens === undefined || credential?.kind === 'registry-token') return undefined;
    this.tokens.invalidate(scopes, credentialKey(credential));
    this.tokens.adopt(challenge);
    const asked = challengeScopes(challenge);
    if (challenge.params['error'] === 'insufficient_scope' && !coversScopes(scopes, asked)) {
      return normaliseScopes([...scopes, ...asked]);
    }
    return [...scopes]; // an expired or revoked token: one fresh token, once
  }

  private adopt(challenge: Challenge | undefined): void {
    this.challenge = challenge;
    this.tokens = challenge?.scheme === 'bearer' ? new BearerTokens(this.ctx, challenge) : undefined;
  }
}

function challengeScopes(challenge: Challenge): string[] {
  const scope = challenge.params['scope'];
  return scope === undefined ? [] : scope.split(' ').filter((s) => s !== '');
}

/** Tokens are cached per credential, named by where it came from (never by its secret). */
function credentialKey(credential: Credential | undefined): string {
  return credential === undefined ? 'anonymous' : `${credential.kind}:${credential.source}`;
}
