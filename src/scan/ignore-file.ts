// The ignore file: vulnerability IDs the team has accepted, one per line.
//
//   CVE-2023-1234                      # reason after a hash
//   GHSA-xxxx-yyyy-zzzz until: 2025-06-30 # stops applying after that day (UTC)
//   DSA-5417-1 # accepted until the rebuild until: 2025-06-30
//   CVE-2018-14618 exp:2025-06-30      # .trivyignore form: expires at the start of that day
//
// `.trivyignore` files (IDs, `#` comments, `exp:` suffix) are read as they are, with
// Trivy's meaning of `exp:` (https://trivy.dev/latest/docs/configuration/filtering/#by-finding-ids).
// An entry matches a finding by the finding's ID or any of its aliases, so accepting a CVE
// accepts the DSA/GHSA/DEBIAN-CVE record that aliases it, and the other way round. A
// finding that stands alone for an advisory naming several vulnerabilities (a GHSA
// aliasing two CVEs, a DSA fixing three; Finding.names) is not known by any one of them:
// it is accepted by its own ID, or when active entries accept every one it names (a
// .trivyignore lists CVEs, as Trivy reports them). Accepting some of them is not enough.
import { readFile } from 'node:fs/promises';
import { ImmutagError } from '../errors.ts';
import type { Finding } from './model.ts';

export interface IgnoreEntry {
  id: string;
  reason?: string;
  /** The first instant at which the entry no longer applies. */
  expiresAt?: Date;
  /** The date as written, for messages. */
  expiry?: string;
  line: number;
}

export interface IgnoreList {
  source: string;
  entries: IgnoreEntry[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UNTIL_IN_COMMENT = /\buntil:\s*(\S+)/i;
const EXP_IN_COMMENT = /(?:^|\s)exp:(\S+)/i;

function parseDate(text: string, source: string, line: number): Date {
  const match = DATE.exec(text);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== text) {
    throw new ImmutagError('INVALID_INPUT', `${source}:${line}: "${text}" is not a date (YYYY-MM-DD)`, {
      hint: 'Write expiry dates as until: 2025-12-31 (or exp:2025-12-31 in a .trivyignore file).',
    });
  }
  return date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function parseLine(raw: string, source: string, line: number): IgnoreEntry | undefined {
  const hash = raw.indexOf('#');
  const body = (hash === -1 ? raw : raw.slice(0, hash)).trim();
  let comment = hash === -1 ? '' : raw.slice(hash + 1).trim();
  if (!body) return undefined;

  const tokens = body.split(/\s+/);
  const id = tokens.shift()!;
  let expiry: { text: string; expiresAt: Date } | undefined;
  const rest = tokens.join(' ');
  const until = /^until:\s*(\S+)$/i.exec(rest);
  const exp = /^exp:(\S+)$/i.exec(rest);
  if (until) {
    expiry = { text: until[1]!, expiresAt: new Date(parseDate(until[1]!, source, line).getTime() + DAY_MS) };
  } else if (exp) {
    expiry = { text: exp[1]!, expiresAt: parseDate(exp[1]!, source, line) };
  } else if (rest) {
    throw new ImmutagError('INVALID_INPUT', `${source}:${line}: cannot read "${rest}" after ${id}`, {
      hint: 'Each line is one ID, optionally followed by until: YYYY-MM-DD (or exp:YYYY-MM-DD), then # and a reason.',
    });
  }
  const commentUntil = UNTIL_IN_COMMENT.exec(comment);
  if (commentUntil && !expiry) {
    expiry = { text: commentUntil[1]!, expiresAt: new Date(parseDate(commentUntil[1]!, source, line).getTime() + DAY_MS) };
    comment = comment.replace(UNTIL_IN_COMMENT, '').trim();
  }
  // Trivy takes exp: from any field of the line, after a # too.
  const commentExp = EXP_IN_COMMENT.exec(comment);
  if (commentExp && !expiry) {
    expiry = { text: commentExp[1]!, expiresAt: parseDate(commentExp[1]!, source, line) };
    comment = comment.replace(EXP_IN_COMMENT, '').trim();
  }
  // An expiry left in the comment was not read (`exp: 2024-01-01` with a space, which
  // Trivy reads as no date and drops the line; a second expiry; `until:` with no date):
  // as part of the reason it would make the acceptance last for ever.
  const unread = /\b(exp|until):/i.exec(comment);
  if (unread) {
    throw new ImmutagError('INVALID_INPUT', `${source}:${line}: cannot read the ${unread[1]!.toLowerCase()}: expiry in "# ${comment}"`, {
      hint: 'Give one expiry per line: until: YYYY-MM-DD, or exp:YYYY-MM-DD with no space after the colon, as Trivy reads it.',
    });
  }
  const entry: IgnoreEntry = { id, line };
  if (comment) entry.reason = comment;
  if (expiry) {
    entry.expiry = expiry.text;
    entry.expiresAt = expiry.expiresAt;
  }
  return entry;
}

export function parseIgnoreFile(text: string, source: string): IgnoreList {
  const entries: IgnoreEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const entry = parseLine(raw, source, index + 1);
    if (entry) entries.push(entry);
  });
  return { source, entries };
}

export async function readIgnoreFile(path: string): Promise<IgnoreList> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ImmutagError('INVALID_INPUT', `cannot read ignore-file ${path}: ${(err as Error).message}`, {
      hint: 'Point ignore-file at a file in the repository (relative to the workspace), or leave it empty.',
      cause: err,
    });
  }
  return parseIgnoreFile(text, path);
}

function findingIds(finding: Finding): Set<string> {
  return new Set([finding.id, ...finding.aliases].map((id) => id.toUpperCase()));
}

/** The CVE an ID is or stands for (CVE-2024-1, DEBIAN-CVE-2024-1). */
const OWN_CVE = /CVE-\d{4}-\d+$/i;

export interface IgnoreOutcome {
  findings: Finding[];
  notes: string[];
}

/**
 * The entry that accepts each vulnerability a bundle's finding names, or undefined when one
 * is not accepted. A finding that is itself a CVE (a CVE record aliasing two others, a
 * grype match on a CVE relating two more) is one of them: its names are the others.
 */
function acceptingEach(finding: Finding, active: IgnoreEntry[]): IgnoreEntry[] | undefined {
  const names = finding.names ?? [];
  if (names.length === 0) return undefined;
  const own = OWN_CVE.exec(finding.id)?.[0]?.toUpperCase();
  const required = own === undefined ? names : [...new Set([own, ...names.map((n) => n.toUpperCase())])];
  const entries: IgnoreEntry[] = [];
  for (const name of required) {
    const entry = active.find((e) => e.id.toUpperCase() === name.toUpperCase());
    if (!entry) return undefined;
    entries.push(entry);
  }
  return entries;
}

/**
 * Marks findings an active entry names (by ID or alias), or whose named vulnerabilities
 * active entries all name, as ignored; expired entries become notes.
 */
export function applyIgnoreList(findings: Finding[], list: IgnoreList, now: Date = new Date()): IgnoreOutcome {
  const notes: string[] = [];
  const active = list.entries.filter((entry) => {
    if (entry.expiresAt && entry.expiresAt.getTime() <= now.getTime()) {
      notes.push(`${list.source}:${entry.line}: ${entry.id} expired on ${entry.expiry}; it no longer applies`);
      return false;
    }
    return true;
  });
  const marked = findings.map((finding) => {
    const ids = findingIds(finding);
    const entry = active.find((e) => ids.has(e.id.toUpperCase()));
    if (!entry) {
      const each = acceptingEach(finding, active);
      if (!each) return finding;
      const listed = each.map((e) => `${list.source}:${e.line} ${e.id}`).join(', ');
      const reasons = [...new Set(each.map((e) => e.reason).filter((r): r is string => r !== undefined))];
      const reason = `${reasons.length > 0 ? reasons.join('; ') : 'listed in the ignore file'} [every one ${finding.id} names: ${listed}]`;
      return { ...finding, ignored: { reason } };
    }
    const via = entry.id.toUpperCase() === finding.id.toUpperCase() ? '' : ` (as ${finding.id})`;
    const reason = `${entry.reason ?? 'listed in the ignore file'} [${list.source}:${entry.line} ${entry.id}${via}]`;
    return { ...finding, ignored: { reason } };
  });
  return { findings: marked, notes };
}
