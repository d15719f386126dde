// The GitHub REST client: octokit from @actions/github (proxy-aware, GitHub
// Enterprise via GITHUB_API_URL) with the retry plugin (5xx and network errors,
// backing off) and the throttling plugin (primary and secondary rate limits, which
// GitHub answers with 403/429 and a reset time).
// The octokit factory comes in from the adapter (main.ts, the only file that imports
// @actions/* at run time); this module adds the plugins and logs through its Logger.
import type { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Logger } from '../log.ts';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** `getOctokit` from @actions/github, passed in by main.ts (and by tests). */
export type OctokitFactory = typeof getOctokit;

export interface ClientOptions {
  octokit: OctokitFactory;
  token: string;
  /** GITHUB_API_URL: `https://api.github.com`, or `https://<host>/api/v3` on GitHub Enterprise Server. */
  baseUrl: string;
  logger: Logger;
  /** The unit of retry delays in milliseconds: 1000 (octokit's default); tests make it small. */
  retryAfterBaseMs?: number;
  /**
   * Throttling queues are shared by every client with the same id in the process, and
   * space writes by a second; tests give each client its own id.
   */
  throttleId?: string;
}

/** Rate-limit waits longer than this are not worth holding a runner for: the comment is skipped with a warning. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 120;
const MAX_RATE_LIMIT_RETRIES = 2;

export function createGitHubClient(options: ClientOptions): GitHubClient {
  const { logger } = options;
  logger.secret(options.token);
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
    const retrying = retryCount < MAX_RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
    logger.warning(`GitHub API ${kind} rate limit on ${request.method} ${request.url}: ${retrying ? `retrying in ${retryAfter} s` : 'giving up'}`);
    return retrying;
  };
  const base = options.retryAfterBaseMs ?? 1000;
  return options.octokit(
    options.token,
    {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      log: {
        debug: (message: string) => logger.debug(message),
        info: (message: string) => logger.debug(message),
        warn: (message: string) => logger.warning(message),
        error: (message: string) => logger.debug(message),
      },
      retry: { retryAfterBaseValue: base },
      throttle: {
        id: options.throttleId ?? 'immutag',
        retryAfterBaseValue: base,
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
      },
    },
    retry,
    throttling,
  );
}

/** The parts of octokit's RequestError that decide what to tell the user. */
export interface ApiFailure {
  status?: number;
  message: string;
  /** GitHub's own `message` from the response body. */
  githubMessage?: string;
  /** The first `errors[].message` of a 422. */
  detail?: string;
}

export function apiFailure(err: unknown): ApiFailure {
  const e = err as { status?: unknown; message?: unknown; response?: { data?: unknown } };
  const failure: ApiFailure = { message: typeof e?.message === 'string' ? e.message : String(err) };
  if (typeof e?.status === 'number') failure.status = e.status;
  const data = e?.response?.data as { message?: unknown; errors?: { message?: unknown }[] } | undefined;
  if (typeof data?.message === 'string') failure.githubMessage = data.message;
  const detail = Array.isArray(data?.errors) ? data.errors.find((x) => typeof x?.message === 'string')?.message : undefined;
  if (typeof detail === 'string') failure.detail = detail;
  return failure;
}
