// Markdown building blocks for the pull-request comment and the job summary.
//
// Every string that comes from outside immutag (tag names, package names, advisory
// summaries, registry messages) goes through one of these functions, never straight
// into the output: GitHub renders comments as GitHub Flavored Markdown with inline
// HTML, and then links @-mentions, #references and bare URLs in the text it produced
// (https://github.github.com/gfm/). So escaping has two layers:
//   1. Markdown/HTML: HTML-special characters become entities and every other ASCII
//      punctuation character is backslash-escaped (CommonMark §2.4 allows it for all
//      of them), so no emphasis, link, image, heading, list or raw HTML can start.
//   2. GitHub's text filters run on the rendered text, after escapes are resolved,
//      so `\@team` would still notify @team: a zero-width joiner after `@` (and
//      after `#`, `www` and `://`) breaks the mention, reference and autolink
//      patterns while reading the same on screen.
// Code spans are used for anything a reader copies (tags, digests, package names and
// versions): GitHub does not run those filters inside `code`, so the text stays exact.

const ZWJ = '\u200d';

/** Bidi overrides and isolates can make text read differently from what it is (CVE-2021-42574). */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
// C0/C1 controls except tab and newline (handled separately), and the Unicode line/paragraph separators.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // A literal pipe ends a table cell even inside inline markup (GFM §4.10); the entity does not.
  '|': '&#124;',
};

// Inline constructs: emphasis, code, links and images (`![` needs its `[`), strikethrough, GitHub math.
const BACKSLASH_ESCAPED = new Set('\\`*_[]()~$');
// Block constructs only start a line: a heading, list item, setext rule or ordered list.
const BLOCK_START = /^([#+=-]|\d{1,9}(?=[.)]))/;

/** Single-line, trimmed, bounded plain text with nothing hidden in it. */
export function clean(value: string, maxLength = 300): string {
  const flat = value
    .replace(BIDI_CONTROLS, '')
    .replace(/\r\n|\r|\n|\t/g, ' ')
    .replace(CONTROLS, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  return truncate(flat, maxLength);
}

/** Ends with a full stop unless it already ends a sentence, so a hint can follow it. */
export function sentence(value: string): string {
  return /[.!?…:]$/.test(value) ? value : `${value}.`;
}

/** Cuts at a code point boundary and says so with an ellipsis. */
export function truncate(value: string, maxLength: number): string {
  const points = Array.from(value);
  if (points.length <= maxLength) return value;
  return points.slice(0, Math.max(0, maxLength - 1)).join('') + '…';
}

// An http(s) URL in outside text, without the punctuation that usually ends a sentence after it.
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`|\\]+?(?=[.,;:!?)\]]*(?:\s|$))/g;

/**
 * Outside text rendered as inert Markdown: safe in a paragraph, a list item, a table
 * cell, link text or a `<summary>`. Newlines become spaces. URLs in it become code
 * spans: shown exactly and copyable (no zero-width joiner to break curl), and inert,
 * since GitHub links nothing inside code.
 */
export function text(value: string, maxLength = 300): string {
  const cleaned = clean(value, maxLength);
  let out = '';
  let last = 0;
  for (const m of cleaned.matchAll(URL_IN_TEXT)) {
    out += escapeText(cleaned.slice(last, m.index)) + code(m[0], { maxLength });
    last = m.index + m[0].length;
  }
  out += escapeText(cleaned.slice(last));
  return out.replace(BLOCK_START, (m) => (/\d/.test(m) ? m + '\\' : '\\' + m));
}

function escapeText(value: string): string {
  const cleaned = breakGitHubFilters(value);
  let out = '';
  for (const ch of cleaned) {
    const entity = ENTITIES[ch];
    if (entity !== undefined) out += entity;
    else if (BACKSLASH_ESCAPED.has(ch)) out += '\\' + ch;
    else out += ch;
  }
  return out;
}

/** Breaks @mentions, #123 / GH-123 references and bare-URL autolinks without changing what a reader sees. */
function breakGitHubFilters(value: string): string {
  return value
    .replace(/@/g, '@' + ZWJ)
    .replace(/#(?=\d)/g, '#' + ZWJ)
    .replace(/\b(gh)-(?=\d)/gi, '$1' + ZWJ + '-')
    .replace(/\b(www)\./gi, '$1' + ZWJ + '.')
    .replace(/:\/\//g, ':' + ZWJ + '//');
}

/**
 * An inline code span that shows `value` exactly. The fence is one backtick longer than
 * the longest run inside, and padded when the content starts or ends with a backtick
 * (CommonMark §6.1). Set `inTable` when the span sits in a table cell: GFM splits cells
 * on `|` before it parses code spans, so pipes are escaped there (GFM §4.10 example 200).
 */
export function code(value: string, options: { maxLength?: number; inTable?: boolean } = {}): string {
  // Inert inside a code span, but kept out of the raw text so nothing but our first
  // line ever looks like the comment's hidden marker.
  let content = clean(value, options.maxLength ?? 300).replace(/<!--/g, '<' + ZWJ + '!--');
  if (content === '') return '';
  if (options.inTable) content = content.replace(/\\(?=\|)/g, '\\\\').replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...Array.from(content.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * A URL safe to put in a Markdown link destination: https only (http for local
 * servers such as a GitHub Enterprise test instance is refused too), no credentials,
 * and the characters that could end the destination or a table cell percent-encoded.
 * Returns undefined for anything else, and the caller renders plain text instead.
 */
export function safeUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined;
  return url.href.replace(/[()<>"'|\\`*_\[\] ]/g, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** `[label](url)` when the URL is safe, else just the label. `label` must already be Markdown. */
export function link(label: string, url: string | undefined): string {
  const safe = safeUrl(url);
  return safe === undefined ? label : `[${label}](${safe})`;
}

/** A GFM table. Cells must already be rendered Markdown (escaped with `text`/`code`). */
export function tableHeader(columns: readonly string[], align?: readonly ('left' | 'right' | 'center')[]): string {
  const rule = columns.map((_, i) => {
    const a = align?.[i] ?? 'left';
    if (a === 'right') return '--:';
    if (a === 'center') return ':-:';
    return '---';
  });
  return `${tableRow(columns)}\n${tableRow(rule)}`;
}

export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
}

/** `sha256:1a2b3c4d…`: a digest's label where the full one would not fit; the full one is always shown nearby. */
export function digestLabel(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  if (algorithm === undefined || hex === undefined) return clean(digest, 24);
  return `${algorithm}:${hex.slice(0, 8)}…`;
}

// Absolute paths on a runner (`/home/runner/work/_temp/image.tar`, `D:\\a\\_temp\\x`):
// not the reader's business in a pull request, and they say nothing a file name does not.
const LOCAL_PATH = /(?<![\w.:\/@-])(?:\/(?:[\w.+-]+\/)+|[A-Za-z]:\\(?:[\w.+ -]+\\)+)(?=[\w.+-])/g;

/** Outside text with absolute local paths cut to their last part: `…/image.tar`. */
export function withoutLocalPaths(value: string): string {
  return value.replace(LOCAL_PATH, '…/');
}

/** `sha256:0123456789ab`: enough to tell layers and manifests apart in a table. */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  if (algorithm === undefined || hex === undefined) return clean(digest, 24);
  return `${algorithm}:${hex.slice(0, 12)}`;
}

/**
 * 1,234 — counts read faster with separators. Not toLocaleString: its first call loads
 * ICU data, ~12 ms of a CLI check that takes ~100 ms in all.
 */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1 finding" / "2 findings". */
export function plural(n: number, singular: string, pluralForm = singular + 's'): string {
  return `${count(n)} ${n === 1 ? singular : pluralForm}`;
}

/** Size in the unit GitHub's limits use: UTF-8 bytes (at least as many as characters, so always safe). */
export function sizeOf(markdown: string): number {
  return Buffer.byteLength(markdown, 'utf8');
}

/** A fenced code block (CommonMark §4.5): one line per entry, the fence longer than any backtick run inside. */
export function codeBlock(lines: readonly string[], language = ''): string {
  const body = lines.map((line) => clean(line, 1000).replace(/<!--/g, '<' + ZWJ + '!--'));
  const longestRun = Math.max(0, ...body.flatMap((line) => Array.from(line.matchAll(/`+/g), (m) => m[0].length)));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [fence + language, ...body, fence].join('\n');
}
