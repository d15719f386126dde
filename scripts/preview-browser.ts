// Headless Chromium (Debian's `chromium`) driven through its command line: lay a page
// out at a given width and read back what the page measured (--dump-dom), or take a
// screenshot. Every launch gets a fresh profile and no network features.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measureHarness, type PageMeasure } from './preview-page.ts';

export const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--hide-scrollbars', '--force-device-scale-factor=1',
];

async function chromium(args: string[]): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), 'immutag-chromium-'));
  try {
    return await new Promise((resolve, reject) => {
      execFile(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, ...args], { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${CHROMIUM} failed: ${err.message}\n${stderr.slice(-2000)}`));
        else resolve(stdout);
      });
    });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/**
 * Lays every page (HTML files in one directory) out in a frame `width` CSS pixels wide,
 * all in one browser launch, and returns what each measured, by file name.
 */
export async function measurePages(dir: string, pages: readonly string[], width: number): Promise<Record<string, PageMeasure>> {
  const harness = join(dir, `measure-${width}.html`);
  await writeFile(harness, measureHarness(pages, width));
  const dom = await chromium(['--window-size=1000,900', '--virtual-time-budget=10000', '--dump-dom', pathToFileURL(harness).href]);
  const m = /<pre id="measure">([^<]*)<\/pre>/.exec(dom);
  if (m === null) throw new Error(`${harness}: the pages did not all report their measurements`);
  return JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as Record<string, PageMeasure>;
}

/** A PNG of the top `height` pixels of the page laid out `width` CSS pixels wide (in a frame, as for measurePages). */
export async function screenshot(file: string, width: number, height: number, png: string): Promise<void> {
  const harness = file.replace(/\.html$/, `.frame-${width}.html`);
  const page = file.slice(file.lastIndexOf('/') + 1);
  await writeFile(harness, `<!doctype html><body style="margin:0;background:#888"><iframe src="${page}" style="display:block;border:0;width:${width}px;height:${height}px;background:#fff"></iframe></body>`);
  await chromium([`--window-size=${Math.max(500, width)},${height}`, '--virtual-time-budget=5000', `--screenshot=${png}`, pathToFileURL(harness).href]);
}
