// The Action's outputs, derived from the report so the Action and the CLI's --json agree.
import type { RunReport } from '../report/run-report.ts';
import { repositoriesOf } from '../report/run-report.ts';
import type { SeverityCounts } from '../scan/model.ts';

export interface Outputs {
  result: RunReport['result'];
  existing: { tag: string; digest: string }[];
  digest?: string;
  image?: string;
  images?: string[];
  pushed?: Record<string, 'created' | 'unchanged' | 'moved'>;
  vulnerabilities?: SeverityCounts;
  report?: string;
  sarif?: string;
  sbom?: string;
}

export function outputsOf(report: RunReport, counts?: SeverityCounts): Outputs {
  const out: Outputs = {
    result: report.result,
    existing: report.tags.flatMap((t) => (t.existingDigest ? [{ tag: t.reference, digest: t.existingDigest }] : [])),
  };
  if (report.image) {
    const digest = report.image.digest;
    const repos = repositoriesOf(report);
    out.digest = digest;
    // Only a passing run names a repo@digest to deploy: after a failure the registry may
    // not hold it, or holds it under a refused tag, and a later `if: always()` step must
    // not deploy it. A passing dry run names what would be deployed, as `push: false` promises.
    if (report.result === 'pass') {
      out.images = repos.map((r) => `${r}@${digest}`);
      if (out.images[0]) out.image = out.images[0];
    }
  }
  if (report.mode === 'push') {
    const pushed: Record<string, 'created' | 'unchanged' | 'moved'> = {};
    for (const t of report.tags) {
      if (t.state === 'created' || t.state === 'unchanged' || t.state === 'moved') pushed[t.reference] = t.state;
    }
    out.pushed = pushed;
  }
  if (report.scan) {
    if (counts) out.vulnerabilities = counts;
    Object.assign(out, report.scan.files ?? {});
  }
  return out;
}
