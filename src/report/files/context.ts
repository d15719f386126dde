// What every report is made from: the scan result with the policy applied to it.
import { parseReference } from '../../reference.ts';
import type { SeverityCounts, ScanResult } from '../../scan/model.ts';
import type { PolicyOptions, Verdict } from '../../scan/policy.ts';

export interface ReportContext {
  result: ScanResult;
  counts: SeverityCounts;
  verdict: Verdict;
  policy: PolicyOptions;
  /** The image as the user named it (`registry/repo:tag`), for display; the digest is what was scanned. */
  imageRef?: string;
  ignoreFile?: string;
  /** Notes that belong to the whole scan (expired ignore entries…). */
  notes?: string[];
  toolVersion?: string;
  /** Where to read more about immutag, for SARIF `informationUri`. */
  toolUri?: string;
  /** For reproducible output in tests. */
  now?: Date;
}

/** `registry/repository` of the image reference without tag or digest; `image` when unknown. */
export function imageName(imageRef: string | undefined): string {
  if (!imageRef) return 'image';
  try {
    const ref = parseReference(imageRef);
    return `${ref.registry}/${ref.repository}`;
  } catch {
    return imageRef;
  }
}

/** The repository path alone (`acme/api`), which code scanning can show as a path. */
export function repositoryPath(imageRef: string | undefined): string {
  if (!imageRef) return 'image';
  try {
    return parseReference(imageRef).repository;
  } catch {
    return imageRef.replace(/[@:].*$/, '') || 'image';
  }
}
