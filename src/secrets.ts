// The one scrubber every text leaving the process goes through: log lines, the job
// summary, the pull-request comment, report files, outputs, the CLI's stdout and
// stderr. A registry or token endpoint may echo the Authorization header or a token
// in an error body, and that body reaches the report; the Actions runner masks the
// log only, while the comment is posted through the API and files are uploaded as
// they are. So secrets are registered here the moment they are known (the password
// and GitHub token from the settings, credentials when looked up, tokens when
// fetched) and removed from every exit, in the forms an echo may take.
//
// It is process-wide on purpose: a secret learnt anywhere in the run must be hidden
// everywhere. Registering is the only side effect; nothing is ever printed from here.

const MASK = '***';
/** Shorter values would mask ordinary words; `@actions/core` masks them in the log anyway. */
const MIN_LENGTH = 4;

export class Secrets {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;

  /** Registers a secret and the forms it takes when echoed in JSON, a URL or a form body. */
  add(value: string | undefined): void {
    if (value === undefined || value.length < MIN_LENGTH) return;
    const before = this.values.size;
    for (const form of forms(value)) this.values.add(form);
    if (this.values.size !== before) this.pattern = undefined;
  }

  get size(): number {
    return this.values.size;
  }

  scrub(text: string): string {
    if (this.values.size === 0 || text === '') return text;
    this.pattern ??= new RegExp([...this.values].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
    return text.replace(this.pattern, MASK);
  }

  /** A copy of plain data (objects, arrays) with every string scrubbed; other values are kept as they are. */
  scrubDeep<T>(value: T): T {
    if (this.values.size === 0) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.scrub(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item));
    if (value === null || typeof value !== 'object') return value;
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = this.walk(item);
    return out;
  }
}

function forms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  // A lone surrogate (a token's "\ud800") would make encodeURIComponent throw; an echo writes it as U+FFFD.
  const url = encodeURIComponent(value.toWellFormed());
  const go = goUserinfo(value.toWellFormed());
  const escaped = [url, formEncoded(url), go];
  // An escape may be written in lower case (%2f) by whatever prints it.
  const lower = escaped.map((f) => f.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  return [...new Set([value, json, ...escaped, ...lower])].filter((f) => f.length >= MIN_LENGTH);
}

/**
 * How Go's net/url writes a user or password in a URL (url.URL.String(), which a Go
 * scanner such as grype or trivy may print with a proxy URL): `@ / ? :` and everything
 * but letters, digits, `-_.~` and `$&+,;=` escaped as %XX of the UTF-8 bytes. That is
 * encodeURIComponent's form with `$&+,;=` left as they are and `!'()*` escaped: two
 * passes of native code, where a loop over the bytes took half a millisecond of every
 * run for a 2 KB registry token.
 */
function goUserinfo(value: string): string {
  return encodeURIComponent(value)
    .replace(/%2[46BC]|%3[BD]/g, (kept) => decodeURIComponent(kept))
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A form body's encoding (application/x-www-form-urlencoded, as URLSearchParams writes
 * it), from the URL-component one: the same but for space as `+` and `!'()~` escaped.
 * Not URLSearchParams itself: its first use loads Node's querystring code, a millisecond
 * of every tag check's start.
 */
function formEncoded(url: string): string {
  return url.replace(/%20/g, '+').replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The process's scrubber. */
export const secrets = new Secrets();

/** Registers a secret with the process's scrubber (the hook the credential and token code calls). */
export function registerSecret(value: string | undefined): void {
  secrets.add(value);
}

/** Removes every registered secret from `text`. */
export function scrub(text: string): string {
  return secrets.scrub(text);
}
