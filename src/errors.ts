// Every failure immutag reports is an ImmutagError: a stable code the tests and
// adapters can branch on, a message that says what happened, and a hint that says
// what to do. Adapters print `message` and `hint` on one line each; nothing else.

export type ErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_REFERENCE'
  | 'TAG_EXISTS'
  | 'TAG_MOVED'
  | 'TAG_STATE_UNKNOWN'
  | 'RUN_TIMEOUT'
  | 'REGISTRY_UNREACHABLE'
  | 'REGISTRY_ERROR'
  | 'AUTH_REQUIRED'
  | 'AUTH_FAILED'
  | 'DIGEST_MISMATCH'
  | 'MANIFEST_INVALID'
  | 'IMAGE_INVALID'
  | 'IMAGE_NOT_FOUND'
  | 'LIMIT_EXCEEDED'
  | 'POLICY_VIOLATION'
  | 'SCANNER_FAILED'
  | 'GITHUB_API';

export interface ErrorDetails {
  hint?: string;
  cause?: unknown;
}

export class ImmutagError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ImmutagError';
    this.code = code;
    this.hint = details.hint ?? '';
  }
}

/** A verdict failure (a tag would move, a policy failed), as opposed to an operational error. */
export function isViolation(err: unknown): boolean {
  return err instanceof ImmutagError &&
    (err.code === 'TAG_EXISTS' || err.code === 'TAG_MOVED' || err.code === 'POLICY_VIOLATION');
}

/** Wraps anything thrown into an ImmutagError without losing the original as `cause`. */
export function asImmutagError(err: unknown, code: ErrorCode = 'REGISTRY_ERROR'): ImmutagError {
  if (err instanceof ImmutagError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ImmutagError(code, message, { cause: err });
}

/** One line for humans: message, then the hint when there is one. */
export function describeError(err: unknown): string {
  const e = asImmutagError(err);
  return e.hint ? `${e.message} (${e.code}). ${e.hint}` : `${e.message} (${e.code})`;
}
