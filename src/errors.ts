// Every failure immutag reports is an ImmutagError: a stable code the tests and
// adapters can branch on, a message that says what happened, and a hint that says
// what to do. Adapters print `message` and `hint` on one line each; nothing else.

export type ErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_REFERENCE'
  | 'TAG_EXISTS'
  | 'TAG_MOVED'
  | 'TAG_MISSING'
  | 'TAG_STATE_UNKNOWN'
  /** Verify mode: the digest given is a manifest the tag's index lists, or a blob (most likely the config), not a digest a tag names. */
  | 'DIGEST_WRONG_KIND'
  | 'RUN_TIMEOUT'
  | 'RUN_CANCELLED'
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
    (err.code === 'TAG_EXISTS' || err.code === 'TAG_MOVED' || err.code === 'DIGEST_WRONG_KIND' || err.code === 'POLICY_VIOLATION');
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

/** Said wherever a user:password@ written into an input is refused (the secret itself is never quoted). */
export const CREDENTIALS_ADVICE = 'give credentials through docker login, the username and password inputs, or --username with --password-stdin, and change that password: it was written where logs can show it';

/**
 * A tag this run wrote (or may have written) that it cannot vouch for: its state could not
 * be read back (unknown, and perhaps written), or, `landed`, it names this job's image but
 * the write was known to have landed too late (tag-write.ts, step 5).
 */
export class UnconfirmedWriteError extends ImmutagError {
  readonly mayBeWritten = true;
  /** The write did land: the tag named this job's image when last read, but not within the settle window. */
  readonly landed: boolean;

  constructor(message: string, details: ErrorDetails & { landed?: boolean } = {}) {
    super('TAG_STATE_UNKNOWN', message, details);
    this.name = 'UnconfirmedWriteError';
    this.landed = details.landed ?? false;
  }
}

/**
 * This run's tag write landed (the registry answered 2xx), but the tag reads back as
 * `stored`, the digest the registry's answer named, not this job's `ours`: the registry
 * or a proxy stored the manifest rewritten. The tag was written; it names another image.
 */
export class RewrittenTagError extends ImmutagError {
  readonly ours: string;
  readonly stored: string;

  constructor(message: string, ours: string, stored: string, details: ErrorDetails = {}) {
    super('DIGEST_MISMATCH', message, details);
    this.name = 'RewrittenTagError';
    this.ours = ours;
    this.stored = stored;
  }
}

/** An immutable tag already names another image (`existing`, when the registry said which). */
export class TagExistsError extends ImmutagError {
  readonly existing: string | undefined;
  /** Another job wrote the tag after this run first checked it (a race, not a reused version). */
  readonly takenSinceCheck: boolean;

  constructor(message: string, existing: string | undefined, details: ErrorDetails & { takenSinceCheck?: boolean } = {}) {
    super('TAG_EXISTS', message, details);
    this.name = 'TagExistsError';
    this.existing = existing;
    this.takenSinceCheck = details.takenSinceCheck ?? false;
  }
}

/**
 * Another writer owns the tag: it names `theirs`, not this job's `ours`.
 */
export class TagMovedError extends ImmutagError {
  readonly ours: string;
  readonly theirs: string;
  /** The tag named this job's image (its write landed, or it was found there) before the other writer moved it. */
  readonly afterOurWrite: boolean;

  constructor(message: string, ours: string, theirs: string, details: ErrorDetails & { afterOurWrite?: boolean } = {}) {
    super('TAG_MOVED', message, details);
    this.name = 'TagMovedError';
    this.ours = ours;
    this.theirs = theirs;
    this.afterOurWrite = details.afterOurWrite ?? false;
  }
}

/** Where the tag points now, according to a tag error (undefined: not said or not known). */
export function otherDigestOf(err: unknown): string | undefined {
  if (err instanceof TagMovedError) return err.theirs;
  if (err instanceof TagExistsError) return err.existing;
  if (err instanceof RewrittenTagError) return err.stored;
  return undefined;
}

/**
 * A push that failed after some tags were written: those are real and must be reported
 * as such. Carries the failure's own code, message and hint; `failure` is the original.
 */
export class PartialPushError<Outcome extends string = string> extends ImmutagError {
  /** Per tag (as the user wrote it) that the run wrote or found at its digest before failing. */
  readonly pushed: Readonly<Record<string, Outcome>>;
  /** The tag the run was writing (or verifying) when it failed. */
  readonly failedTag: string;
  /** Other tags that failed the same final read (moved, or unreadable), each with its error. */
  readonly alsoFailed: Readonly<Record<string, ImmutagError>>;
  readonly failure: ImmutagError;

  constructor(failure: ImmutagError, pushed: Record<string, Outcome>, failedTag: string, alsoFailed: Record<string, ImmutagError> = {}) {
    super(failure.code, failure.message, { hint: failure.hint, cause: failure });
    this.name = 'PartialPushError';
    this.pushed = pushed;
    this.failedTag = failedTag;
    this.alsoFailed = alsoFailed;
    this.failure = failure;
  }
}
