// npm run bench: immutag against the tools a user would pick instead, side by side
// in one run, with ratios. Numbers, not assertions: timing belongs here, not in tests.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { benchCheck } from './bench/check.ts';
import type { BenchRow } from './bench/row.ts';

type Section = { name: string; run: () => Promise<BenchRow[]> };

const sections: Section[] = [
  { name: 'check', run: benchCheck },
];

async function loadOptional(): Promise<void> {
  for (const [name, file, fn] of [['push', './bench/push.ts', 'benchPush'], ['scan', './bench/scan.ts', 'benchScan'], ['inventory', './bench/inventory.ts', 'benchInventory'], ['reports', './bench/reports.ts', 'benchReports'], ['pin', './bench/pin.ts', 'benchPin'], ['race', './bench/race.ts', 'benchRace'], ['startup', './bench/startup.ts', 'benchStartup']] as const) {
    if (!existsSync(new URL(file, import.meta.url))) continue;
    const mod = (await import(file)) as Record<string, () => Promise<BenchRow[]>>;
    const run = mod[fn];
    if (run) sections.push({ name, run });
  }
}

/** A shell pipeline in a tool's name must not split the markdown table's cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function table(rows: BenchRow[]): string {
  const out: string[] = [];
  const bySection = new Map<string, BenchRow[]>();
  for (const r of rows) bySection.set(r.section, [...(bySection.get(r.section) ?? []), r]);
  for (const [section, group] of bySection) {
    const base = group[0]!;
    out.push(`\n## ${section}`);
    out.push('| tool | seconds | vs immutag | peak RSS MB | note |');
    out.push('|---|---:|---:|---:|---|');
    for (const r of group) {
      const ratio = r === base ? '1.00x' : `${(r.seconds / base.seconds).toFixed(2)}x`;
      out.push(`| ${cell(r.tool)} | ${r.seconds.toFixed(3)} | ${ratio} | ${r.peakRssMb?.toFixed(1) ?? ''} | ${cell(r.note ?? '')} |`);
    }
  }
  return out.join('\n');
}

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
await loadOptional();
const only = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const s of sections) {
  if (only.length > 0 && !only.includes(s.name)) continue;
  process.stderr.write(`bench: ${s.name}...\n`);
  rows.push(...(await s.run()));
}
process.stdout.write(`# immutag benchmark (${new Date().toISOString()}, ${process.version})\n`);
process.stdout.write('"vs immutag" is the other tool\'s time divided by immutag\'s: above 1 means immutag is faster.\n');
process.stdout.write(table(rows) + '\n');
