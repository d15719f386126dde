// npm run preview: the pull-request comment and the job summary of every standard
// outcome (scripts/preview-cases.ts), rendered to HTML the way GitHub renders them,
// into tmp/preview/. Open tmp/preview/index.html in a browser.
//   --measure      also lay every page out in headless Chromium at 390 and 820 px and
//                  print its width, height and any table wider than the screen
//   --screenshots  also write PNGs of the top of each page at 390 px
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PREVIEW_CASES, renderCase } from './preview-cases.ts';
import { renderPage } from './preview-page.ts';

const OUT = resolve('tmp/preview');
const measure = process.argv.includes('--measure');
const screenshots = process.argv.includes('--screenshots');

await mkdir(OUT, { recursive: true });
const links: string[] = [];
const pages: string[] = [];
for (const c of PREVIEW_CASES) {
  const { comment, summary } = renderCase(c);
  for (const [kind, markdown] of [['comment', comment], ['summary', summary]] as const) {
    const file = `${OUT}/${c.name}.${kind}.html`;
    await writeFile(file, renderPage(`${c.title} (${kind === 'comment' ? 'pull-request comment' : 'job summary'})`, markdown));
    await writeFile(`${OUT}/${c.name}.${kind}.md`, markdown);
    links.push(`<li><a href="${c.name}.${kind}.html">${c.title}: ${kind}</a> (${Array.from(markdown).length.toLocaleString('en')} characters)</li>`);
    pages.push(file);
  }
}
await writeFile(`${OUT}/index.html`, `<!doctype html><meta charset="utf-8"><title>immutag report previews</title><h1>immutag report previews</h1><ul>${links.join('\n')}</ul>\n`);
process.stdout.write(`Rendered ${pages.length} pages: open ${OUT}/index.html\n`);

if (measure || screenshots) {
  const { measurePages, screenshot } = await import('./preview-browser.ts');
  const names = pages.map((file) => file.slice(OUT.length + 1));
  if (measure) {
    for (const width of [390, 820]) {
      const measured = await measurePages(OUT, names, width);
      for (const name of names) {
        const m = measured[name]!;
        const wide = m.scrollWidth > m.viewport || m.wideTables.length > 0;
        process.stdout.write(`${wide ? 'WIDE' : 'ok  '} ${name} at ${width} px: ${m.scrollWidth} px wide, ${m.closedHeight} px tall (${m.openHeight} px with every <details> open)${m.wideTables.length ? `; wide tables: ${m.wideTables.join('; ')}` : ''}\n`);
      }
    }
  }
  if (screenshots) {
    for (const file of pages) await screenshot(file, 390, 1800, file.replace(/\.html$/, '.390.png'));
  }
}
