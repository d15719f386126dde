// A report's Markdown as GitHub shows it: GitHub Flavored Markdown through `marked`
// (tables, <details>, code), inside a comment box styled with the rules of GitHub's
// own markdown stylesheet that decide widths: tables are blocks of max-content width
// that scroll sideways inside the box, code blocks scroll, inline code breaks only at
// spaces, long words wrap. The page measures itself once laid out, so a headless
// browser can tell whether anything is wider than the screen.
import { marked } from 'marked';

const CSS = `
* { box-sizing: border-box; }
body { margin: 0; background: #fff; }
.comment { margin: 8px; border: 1px solid #d1d9e0; border-radius: 6px; }
.comment-header { padding: 8px 16px; background: #f6f8fa; border-bottom: 1px solid #d1d9e0; font: 14px -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #59636e; }
.markdown-body { padding: 16px; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328; word-wrap: break-word; }
.markdown-body > *:first-child { margin-top: 0 !important; }
.markdown-body > *:last-child { margin-bottom: 0 !important; }
.markdown-body p, .markdown-body ul, .markdown-body ol, .markdown-body table, .markdown-body pre, .markdown-body details { margin-top: 0; margin-bottom: 16px; }
.markdown-body h3 { margin-top: 24px; margin-bottom: 16px; font-size: 1.25em; font-weight: 600; line-height: 1.25; }
.markdown-body ul { padding-left: 2em; }
.markdown-body a { color: #0969da; text-decoration: underline; text-underline-offset: .2rem; }
.markdown-body table { border-spacing: 0; border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; font-variant: tabular-nums; }
.markdown-body table th { font-weight: 600; }
.markdown-body table th, .markdown-body table td { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body table tr { background-color: #fff; border-top: 1px solid #d1d9e0; }
.markdown-body table tr:nth-child(2n) { background-color: #f6f8fa; }
.markdown-body code, .markdown-body tt { padding: .2em .4em; margin: 0; font-size: 85%; white-space: break-spaces; background-color: rgba(129, 139, 152, .12); border-radius: 6px; }
.markdown-body code, .markdown-body pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
.markdown-body pre { padding: 16px; overflow: auto; font-size: 85%; line-height: 1.45; color: #1f2328; background-color: #f6f8fa; border-radius: 6px; word-wrap: normal; }
.markdown-body pre code { display: inline; padding: 0; margin: 0; overflow: visible; line-height: inherit; word-wrap: normal; white-space: pre; background-color: transparent; border: 0; font-size: 100%; }
.markdown-body details summary { cursor: pointer; display: list-item; }
.markdown-body sub { font-size: 75%; }
`;

// Runs once the page is laid out: records how wide the page is against the viewport,
// and every table that is wider than the box it sits in (GitHub scrolls those sideways).
const MEASURE = `
addEventListener('load', () => {
  const box = document.querySelector('.comment');
  const closedHeight = Math.round(box.getBoundingClientRect().height);
  const folded = [...document.querySelectorAll('details')].filter((d) => !d.open);
  for (const d of folded) d.open = true;
  const tables = [...document.querySelectorAll('.markdown-body table')]
    .filter((t) => t.scrollWidth > t.clientWidth + 1)
    .map((t) => (t.querySelector('th') || t).textContent.trim().slice(0, 40) + ' (' + t.scrollWidth + ' px)');
  const measure = {
    viewport: innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    closedHeight,
    openHeight: Math.round(box.getBoundingClientRect().height),
    wideTables: tables,
  };
  for (const d of folded) d.open = false;
  // Laid out in a frame of the phone's width by a harness page (see measureHarness).
  if (parent !== window) parent.postMessage({ page: location.pathname.split('/').pop(), measure }, '*');
});
`;

/**
 * A page that lays each of `pages` (file names in the same directory) out in a frame
 * exactly `width` CSS pixels wide, a real viewport of that width for the page inside
 * (headless Chromium will not open a window narrower than 500 px), and writes what
 * every page measured into #measure.
 */
export function measureHarness(pages: readonly string[], width: number): string {
  const frames = pages.map((p) => `<iframe src="${escapeHtml(p)}" style="display:block;border:0;width:${width}px;height:900px"></iframe>`);
  return `<!doctype html><html><head><meta charset="utf-8"><script>
const results = {};
addEventListener('message', (e) => {
  results[e.data.page] = e.data.measure;
  if (Object.keys(results).length === ${pages.length}) {
    const out = document.createElement('pre');
    out.id = 'measure';
    out.textContent = JSON.stringify(results);
    document.body.append(out);
  }
});
</script></head><body style="margin:0">${frames.join('\n')}</body></html>
`;
}

export interface PageMeasure {
  viewport: number;
  scrollWidth: number;
  scrollHeight: number;
  /** Height of the comment as it opens, <details> folded. */
  closedHeight: number;
  /** With every <details> opened: the worst case a reader scrolls through. */
  openHeight: number;
  /** Tables wider than the comment box, which a reader would have to scroll sideways. */
  wideTables: string[];
}

export function renderPage(title: string, markdown: string): string {
  const body = marked.parse(markdown, { gfm: true, async: false });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
<script>${MEASURE}</script>
</head><body>
<div class="comment"><div class="comment-header">${escapeHtml(title)}</div>
<div class="markdown-body">
${body}
</div></div>
</body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
