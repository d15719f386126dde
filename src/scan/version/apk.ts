// Alpine package version ordering, as `apk version -t` of apk-tools 2.x computes it
// (src/version.c on the 2.x branches: https://gitlab.alpinelinux.org/alpine/apk-tools).
// Grammar: number{.number}...{letter}{_suffix{number}}...{-r#}
// Alpine 3.x ships apk-tools 2.x, and real package versions such as openssh's
// `7.4p1-r0` (a digit after the letter) are ordered by it; apk-tools 3 rejects those
// as invalid, so its rules would leave them unordered.

// Token kinds; the numeric order matters (a version that ends "earlier" is newer).
const INVALID = -1;
const DIGIT_OR_ZERO = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const REVISION_NO = 5;
const END = 6;

// Pre-release suffixes get negative values so they sort before the bare version.
const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function isLower(ch: string | undefined): boolean {
  return ch !== undefined && ch >= 'a' && ch <= 'z';
}

/** Reads one version token by token; `kind` is the kind of the token read next. */
class ApkTokens {
  kind = DIGIT;
  private readonly s: string;
  private pos = 0;

  constructor(s: string) {
    this.s = s;
  }

  /** The value of the current token; advances `kind` to the next token's kind. */
  read(): bigint {
    if (this.pos >= this.s.length) {
      this.kind = END;
      return 0n;
    }
    let length = 0;
    let value = 0n;
    let nextKind = INVALID;
    switch (this.kind) {
      case DIGIT_OR_ZERO:
        // Leading zeros after a dot: each extra zero makes the component smaller.
        if (this.s[this.pos] === '0') {
          while (this.s[this.pos + length + 1] === '0') length++;
          value = BigInt(-length);
          nextKind = DIGIT;
          break;
        }
        length = this.digits();
        if (length < 0) return this.invalid();
        value = BigInt(this.s.slice(this.pos, this.pos + length) || '0');
        break;
      case DIGIT:
      case SUFFIX_NO:
      case REVISION_NO:
        length = this.digits();
        if (length < 0) return this.invalid();
        value = BigInt(this.s.slice(this.pos, this.pos + length) || '0');
        break;
      case LETTER:
        value = BigInt(this.s.charCodeAt(this.pos));
        length = 1;
        break;
      case SUFFIX: {
        const suffix = this.suffix();
        if (suffix === undefined) return this.invalid();
        [value, length] = suffix;
        break;
      }
      default:
        return this.invalid();
    }
    this.pos += length;
    if (this.pos >= this.s.length) this.kind = END;
    else if (nextKind !== INVALID) this.kind = nextKind;
    else this.advance();
    return value;
  }

  /** Length of the digit run at the cursor; -1 when too long for apk's int64. */
  private digits(): number {
    let n = 0;
    while (isDigit(this.s[this.pos + n])) n++;
    return n >= 18 ? -1 : n;
  }

  private suffix(): [bigint, number] | undefined {
    const rest = this.s.slice(this.pos);
    const pre = PRE_SUFFIXES.findIndex((name) => rest.startsWith(name));
    if (pre >= 0) return [BigInt(pre - PRE_SUFFIXES.length), (PRE_SUFFIXES[pre] as string).length];
    const post = POST_SUFFIXES.findIndex((name) => rest.startsWith(name));
    if (post >= 0) return [BigInt(post), (POST_SUFFIXES[post] as string).length];
    return undefined;
  }

  /** Decides the next token's kind from the character at the cursor (apk's next_token). */
  private advance(): void {
    const ch = this.s[this.pos];
    let next = INVALID;
    if ((this.kind === DIGIT || this.kind === DIGIT_OR_ZERO) && isLower(ch)) next = LETTER;
    else if (this.kind === LETTER && isDigit(ch)) next = DIGIT;
    else if (this.kind === SUFFIX && isDigit(ch)) next = SUFFIX_NO;
    else {
      if (ch === '.') next = DIGIT_OR_ZERO;
      else if (ch === '_') next = SUFFIX;
      else if (ch === '-' && this.s[this.pos + 1] === 'r') {
        next = REVISION_NO;
        this.pos++;
      }
      this.pos++;
    }
    // Tokens only move forward in the grammar, with three allowed steps back.
    const allowedBack =
      (next === DIGIT_OR_ZERO && this.kind === DIGIT) ||
      (next === SUFFIX && this.kind === SUFFIX_NO) ||
      (next === DIGIT && this.kind === LETTER);
    if (next < this.kind && !allowedBack) next = INVALID;
    this.kind = next;
  }

  private invalid(): bigint {
    this.kind = INVALID;
    return -1n;
  }
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b`. */
export function compareApk(a: string, b: string): number {
  const x = new ApkTokens(a);
  const y = new ApkTokens(b);
  let xv = 0n;
  let yv = 0n;
  while (x.kind === y.kind && x.kind !== END && x.kind !== INVALID && xv === yv) {
    xv = x.read();
    yv = y.read();
  }
  if (xv !== yv) return xv < yv ? -1 : 1;
  const xk = x.kind;
  const yk = y.kind;
  if (xk === yk) return 0;
  // Equal so far: the longer version is newer, unless it continues with a pre-release suffix.
  if (xk === SUFFIX && x.read() < 0n) return -1;
  if (yk === SUFFIX && y.read() < 0n) return 1;
  return xk > yk ? -1 : 1;
}

/** Whether apk-tools 2.x accepts the version (`apk version -c`). */
export function isValidApkVersion(version: string): boolean {
  const t = new ApkTokens(version);
  while (t.kind !== END && t.kind !== INVALID) t.read();
  return t.kind === END;
}
