// What `immutag pin` found, decided and wrote, as plain data: the input of the job
// summary, the pull-request section, the annotations and `--json`.
import type { Reference } from '../reference.ts';

/** What kind of file a reference was found in (for the report; the rules are per key). */
export type FileKind = 'kubernetes' | 'kustomization' | 'compose' | 'dockerfile' | 'workflow' | 'yaml';

/** A place in a file, in the file's own text: string offsets of the decoded UTF-8. */
export interface Span {
  start: number;
  end: number;
}

/** One image reference as written in a file, and how to pin it there. */
export interface FoundReference {
  file: string;
  /** 1-based line and column of the reference. */
  line: number;
  column: number;
  kind: FileKind;
  /** The reference exactly as written (`app:1.0`, `${IMAGE}`). */
  text: string;
  /** Where `text` is in the file: the bytes a pin replaces. */
  span: Span;
  /**
   * A kustomization entry writes the digest into its own `digest:` field rather than
   * after the tag: replace that value, or insert a field after `newTag`.
   */
  digestField?: { span: Span } | { insertAt: number; text: (digest: string) => string };
  /**
   * Where the value is written at this use (the offset of `*img` for an alias, else of the
   * value itself): an anchor is rewritten only when every one of its uses is an image
   * reference (find.ts guardAnchors).
   */
  site?: number;
  /** Why the reference is not pinned (a variable, a template, no tag); never rewritten. */
  skip?: string;
  /**
   * The platform the file asks for (`FROM --platform=linux/arm64` written out, Compose's
   * `platform:`): a pin to one manifest of an index must be that platform's.
   */
  platform?: string;
  /**
   * The skip is about the text itself (the image a Compose service builds), not about
   * where its key sits (metadata, a Helm tag set apart): every alias of it is skipped too.
   */
  skipsAliases?: true;
  /**
   * Why a reference whose value is known cannot be rewritten in place (a block scalar,
   * escapes, continued lines): pin leaves it, --check still checks it.
   */
  uneditable?: string;
}

export type PinState =
  /** Rewritten by this run to name the digest. */
  | 'pinned'
  /** Already pinned, and the tag still points at that digest. */
  | 'up-to-date'
  /** `name@digest` only: the registry has it. */
  | 'exists'
  /** --check: the reference names a tag and no digest. */
  | 'unpinned'
  /** An immutable tag no longer points at the pinned digest. */
  | 'moved'
  /** --check: a mutable tag moved; re-pin to take the new digest. */
  | 'update-available'
  /** A mutable tag moved and this run re-pinned it. */
  | 'updated'
  /** The registry says the tag or digest does not exist. */
  | 'missing'
  /** The registry could not say (fail closed). */
  | 'unknown'
  /** The reference is not a valid image reference. */
  | 'invalid'
  /** Built from a variable or template, or not an image: listed, never rewritten. */
  | 'skipped';

export interface PinRow {
  file: string;
  line: number;
  column: number;
  kind: FileKind;
  /** As written in the file before this run. */
  reference: string;
  state: PinState;
  /** The digest the file names after this run (pinned, up-to-date, updated, exists). */
  digest?: string;
  /** The digest the file named before (moved, update-available, updated). */
  pinnedDigest?: string;
  /** Where the tag points now (moved, update-available, updated). */
  currentDigest?: string;
  /** The tag is matched by a mutable-tags pattern. */
  mutable?: boolean;
  reason?: string;
  /** Why an unknown or invalid row is one, as an error code (AUTH_FAILED, INVALID_REFERENCE, …). */
  code?: string;
  /** False on a pinned or updated row when nothing was written (pin writes every file or none): `digest` is what it would have written. */
  written?: false;
}

/** A file or path not read, and why (not text, too large, a symlink leaving the paths). */
export interface FileNote {
  path: string;
  reason: string;
}

export type PinResult = 'pass' | 'violation' | 'error';

export interface PinReport {
  result: PinResult;
  /** `pin` rewrites from the registry, `check` changes nothing, `push` pins to the digest just pushed. */
  mode: 'pin' | 'check' | 'push';
  /** When the registry was asked (ISO 8601): the time "now" means in "the tag now points at". */
  checkedAt: string;
  rows: PinRow[];
  /** Files this run rewrote. */
  written: string[];
  notes: FileNote[];
  problems: { code: string; message: string; hint?: string; file?: string; line?: number }[];
  /** With result `error`: the problem that decided it, where the main CLI's --json has it (`jq .error.code`). */
  error?: { code: string; message: string; hint?: string };
  /** HTTP requests sent to registries, for the benchmark. */
  requests: number;
}

/** A parsed reference plus the text it came from. */
export interface ParsedReference {
  found: FoundReference;
  ref: Reference;
}
