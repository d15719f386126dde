// WWW-Authenticate parsing (RFC 7235 §4.1 and §2.1): a header holds one or more
// challenges, each a scheme followed by a token68 or comma-separated auth-params
// whose values are tokens or quoted strings (with backslash escapes). Registries
// put commas inside quoted values (scope="repository:a/b:pull,push"), so a
// split on commas is not enough.

export interface Challenge {
  /** Lowercased: `basic`, `bearer`. */
  scheme: string;
  /** Parameter names lowercased; values unquoted. The first occurrence wins. */
  params: Record<string, string>;
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/** Parses every challenge in one or more WWW-Authenticate header values. */
export function parseChallenges(header: string | readonly string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  if (typeof header !== 'string') return header.flatMap((h) => parseChallenges(h));
  const p = new Parser(header);
  const out: Challenge[] = [];
  let current: Challenge | undefined;
  for (;;) {
    p.skip(/[\s,]/);
    if (p.done()) break;
    const name = p.token();
    if (name === '') {
      p.pos++; // not a token character: skip it rather than loop forever
      continue;
    }
    const afterName = p.pos;
    p.skip(/[ \t]/);
    if (current !== undefined && p.peek() === '=') {
      p.pos++;
      p.skip(/[ \t]/);
      const value = p.peek() === '"' ? p.quoted() : p.token();
      const key = name.toLowerCase();
      if (!(key in current.params)) current.params[key] = value;
      continue;
    }
    p.pos = afterName;
    current = { scheme: name.toLowerCase(), params: {} };
    out.push(current);
    const token68 = p.token68();
    if (token68 !== undefined) current.token68 = token68;
  }
  return out;
}

/** The challenge immutag answers: Bearer when offered, else Basic. */
export function pickChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}

class Parser {
  pos = 0;
  private readonly s: string;

  constructor(s: string) {
    this.s = s;
  }

  done(): boolean {
    return this.pos >= this.s.length;
  }

  peek(): string | undefined {
    return this.s[this.pos];
  }

  skip(re: RegExp): void {
    while (!this.done() && re.test(this.s[this.pos] ?? '')) this.pos++;
  }

  token(): string {
    const start = this.pos;
    this.skip(TCHAR);
    return this.s.slice(start, this.pos);
  }

  quoted(): string {
    this.pos++; // opening quote
    let out = '';
    while (!this.done()) {
      const ch = this.s[this.pos++] ?? '';
      if (ch === '"') return out;
      if (ch === '\\' && !this.done()) {
        out += this.s[this.pos++] ?? '';
        continue;
      }
      out += ch;
    }
    return out; // unterminated: keep what there is
  }

  /** A token68 right after the scheme: consumed only when a comma or the end follows it. */
  token68(): string | undefined {
    const start = this.pos;
    this.skip(/[ \t]/);
    if (this.pos === start) return undefined;
    const match = TOKEN68.exec(this.s.slice(this.pos));
    if (match === null) return undefined;
    const end = this.pos + match[0].length;
    const rest = this.s.slice(end).trimStart();
    if (rest !== '' && !rest.startsWith(',')) return undefined;
    this.pos = end;
    return match[0];
  }
}
