// Whether a tag exists is a question with three answers. Only a 404 whose body says
// MANIFEST_UNKNOWN or NAME_UNKNOWN is "absent"; everything the client could not see
// is "unknown", and the gate fails on unknown.
import { asImmutagError, type ErrorCode } from '../errors.ts';
import { describeCredential, type Credential } from './auth/credentials.ts';

export type TagState =
  | { kind: 'present'; digest: string; mediaType: string; size: number }
  | { kind: 'absent' }
  | { kind: 'unknown'; code: ErrorCode; reason: string; hint: string; status?: number };

export type UnknownState = Extract<TagState, { kind: 'unknown' }>;

export function unknownFromError(err: unknown): UnknownState {
  const e = asImmutagError(err);
  const status = (e as { status?: unknown }).status;
  return {
    kind: 'unknown',
    code: e.code,
    reason: e.message,
    hint: e.hint || 'Run again; if it persists, check the registry and the network.',
    ...(typeof status === 'number' ? { status } : {}),
  };
}

/**
 * 401/403 on a manifest: it does not mean the tag is free. Docker Hub, GHCR and the
 * Google registries answer 401/403 for repositories that do not exist when the caller
 * cannot see them, so the same answer covers "private" and "missing".
 */
export function unauthorizedState(status: number, what: string, repository: string, credential: Credential | undefined): UnknownState {
  const said = `${what} answered HTTP ${status}`;
  if (credential === undefined) {
    return {
      kind: 'unknown',
      code: 'AUTH_REQUIRED',
      status,
      reason: `${said} to an anonymous request, so immutag cannot tell whether the tag exists`,
      hint: `Give credentials with pull access to ${repository} (username/password inputs, or docker/login-action before this step). ` +
        'Docker Hub, GHCR and Google registries answer 401/403 for repositories that do not exist when the caller has no access, so this is not proof the tag is free.',
    };
  }
  return {
    kind: 'unknown',
    code: 'AUTH_FAILED',
    status,
    reason: `${said} with ${describeCredential(credential)}, so immutag cannot tell whether the tag exists`,
    hint: `Check that the credentials are valid and grant pull on ${repository}. ` +
      'Docker Hub, GHCR and Google registries also answer this way for repositories that do not exist.',
  };
}

export function statusState(status: number, what: string, detail: string): UnknownState {
  const said = `${what} answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 429) {
    return { kind: 'unknown', code: 'REGISTRY_ERROR', status, reason: `${said} (rate limited, still after retries)`,
      hint: 'The registry is rate limiting this client: authenticate to raise the limit, or run again later.' };
  }
  if (status >= 500) {
    return { kind: 'unknown', code: 'REGISTRY_ERROR', status, reason: `${said} (after retries)`,
      hint: 'The registry failed on its side; run again later and check its status page.' };
  }
  return { kind: 'unknown', code: 'REGISTRY_ERROR', status, reason: said,
    hint: 'immutag expected 200 or a 404 naming MANIFEST_UNKNOWN; this answer says neither, so the tag state is unknown.' };
}
