// One RegistryClient per run: one keep-alive agent, one ping per registry, one token
// per credential and scope set. Features (the gate here; push in push.ts/upload.ts)
// are functions over `client.transport`, so adding one does not grow this class.
import type { Logger } from '../log.ts';
import { formatReference, type Reference } from '../reference.ts';
import { ImmutagError } from '../errors.ts';
import { resolveCredentials, type CredentialOptions } from './auth/resolve.ts';
import type { CredentialSource } from './auth/credentials.ts';
import type { DeadlineSettings } from './deadline.ts';
import type { Timeouts } from './http.ts';
import { getManifest, manifestState, type FetchedManifest, type ManifestTarget } from './manifest.ts';
import type { RetryClock, RetryPolicy } from './retry.ts';
import type { TagState } from './tag-state.ts';
import { Transport } from './transport.ts';

export interface RegistryClientOptions {
  logger: Logger;
  /** A ready credential source; when absent, one is built from `auth` (inputs, Docker config, auth.json). */
  credentials?: CredentialSource;
  auth?: CredentialOptions;
  /** `host:port` (or `host`) entries reached over plain HTTP. */
  insecureRegistries?: readonly string[];
  retry?: Partial<RetryPolicy>;
  timeouts?: Timeouts;
  userAgent?: string;
  clock?: RetryClock;
  /** Per-request deadlines (deadline.ts; tests shrink them). */
  deadlines?: Partial<DeadlineSettings>;
  /** The run's deadline: every request still open when it aborts is abandoned, its answer unknown. */
  signal?: AbortSignal;
}

export class RegistryClient {
  readonly transport: Transport;
  readonly logger: Logger;

  constructor(options: RegistryClientOptions) {
    this.logger = options.logger;
    this.transport = new Transport({
      logger: options.logger,
      credentials: options.credentials ?? resolveCredentials(options.auth),
      ...(options.insecureRegistries ? { insecureRegistries: options.insecureRegistries } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.deadlines ? { deadlines: options.deadlines } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      userAgent: options.userAgent ?? 'immutag',
    });
  }

  /** present / absent / unknown for the reference's digest or tag; throws only when it names neither. */
  manifestState(ref: Reference): Promise<TagState> {
    return manifestState(this.transport, target(ref));
  }

  /** The manifest's bytes, verified against the digest (the reference's, else the registry's). */
  getManifest(ref: Reference): Promise<FetchedManifest> {
    return getManifest(this.transport, target(ref));
  }

  /** HTTP requests sent so far, token requests and redirect hops included. */
  get requestCount(): number {
    return this.transport.http.requestCount;
  }

  /** Bearer tokens fetched from `registry` so far. */
  tokensFetched(registry: string): Promise<number> {
    return this.transport.tokensFetched(registry);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}

/** The digest when the reference pins one, else the tag. */
export function target(ref: Reference): ManifestTarget {
  const reference = ref.digest ?? ref.tag;
  if (reference === undefined) {
    throw new ImmutagError('INVALID_REFERENCE', `"${formatReference(ref)}" names neither a tag nor a digest`, {
      hint: 'Add :tag or @sha256:… to the reference.',
    });
  }
  return { registry: ref.registry, repository: ref.repository, reference };
}
