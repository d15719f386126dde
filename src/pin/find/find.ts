// Finds every image reference in the candidate files. A YAML file gets the rules for
// what it is (a kustomization, a workflow) plus the `image:` rule every YAML file
// gets; a Dockerfile gets its own parser. Any parse error stops the whole run before
// anything is written, naming file:line. A file that is a Go/Helm or Jinja template
// rather than YAML or a Dockerfile is listed and skipped.
import { basename } from 'node:path';
import { ImmutagError } from '../../errors.ts';
import type { FileKind, FileNote, FoundReference } from '../model.ts';
import { guardAnchors } from './anchor-uses.ts';
import { argoKustomizeImages } from './argocd.ts';
import { dockerfileReferences } from './dockerfile.ts';
import type { Candidate } from './files.ts';
import { imageKeys, isActionFile } from './image-key.ts';
import { helmReleaseImages, isKustomization, kustomizeImages } from './kustomize.ts';
import type { TextEncoding } from './text-encoding.ts';
import { readTextFile } from './text-file.ts';
import { isWorkflow, workflowReferences } from './workflow.ts';
import { parseYamlFile, type YamlFile } from './yaml-document.ts';
import { isMap } from 'yaml';

export interface ScannedFile {
  candidate: Candidate;
  /** The bytes read: written back with the edits spliced in, or compared before writing. */
  bytes: Buffer;
  text: string;
  /** The encoding the bytes were read in; edits are written back in it. */
  encoding: TextEncoding;
  references: FoundReference[];
}

export async function findReferences(candidates: readonly Candidate[]): Promise<{ files: ScannedFile[]; notes: FileNote[] }> {
  const files: ScannedFile[] = [];
  const notes: FileNote[] = [];
  for (const candidate of candidates) {
    const read = readTextFile(candidate.real);
    if (!read.ok) {
      notes.push({ path: candidate.path, reason: read.reason });
      continue;
    }
    const references = candidate.kind === 'dockerfile'
      ? templatedDockerfile(candidate.path, read.text, notes)
      : yamlReferences(candidate.path, read.text, notes);
    if (references === undefined) continue;
    files.push({ candidate, bytes: read.bytes, text: read.text, encoding: read.encoding, references: dedupeSpans(references) });
  }
  return { files, notes };
}

// `{{` of Go/Helm or Jinja templates; not `${{` of GitHub expressions, which are valid YAML text.
const TEMPLATE = /(^|[^$])\{\{|\{%/m;

function yamlReferences(path: string, text: string, notes: FileNote[]): FoundReference[] | undefined {
  let file: YamlFile;
  try {
    file = parseYamlFile(path, text);
  } catch (err) {
    if (err instanceof ImmutagError && TEMPLATE.test(text)) {
      notes.push({ path, reason: 'a Go/Helm template, not YAML: pin the rendered manifests (helm template) instead' });
      return undefined;
    }
    throw err;
  }
  const references = yamlRules(path, file);
  guardAnchors(file, references, yamlKind(path, file) === 'compose');
  return references;
}

function yamlRules(path: string, file: YamlFile): FoundReference[] {
  if (isKustomization(basename(path), file)) return [...kustomizeImages(path, file), ...overrideImages(path, file), ...imageKeys(path, 'kustomization', file)];
  if (isWorkflow(path, file)) return [...workflowReferences(path, file), ...imageKeys(path, 'workflow', file)];
  // A composite action's steps run `uses: docker://…` like a workflow's.
  if (isActionFile(path)) return [...workflowReferences(path, file), ...imageKeys(path, yamlKind(path, file), file)];
  return [...overrideImages(path, file), ...imageKeys(path, yamlKind(path, file), file)];
}

/**
 * Kustomize image overrides that Argo CD Applications and Flux HelmReleases carry, in
 * any YAML file: a Flux file often holds a Kustomization and a HelmRelease together.
 */
function overrideImages(path: string, file: YamlFile): FoundReference[] {
  return [...argoKustomizeImages(path, file), ...helmReleaseImages(path, file)];
}

/** A `Dockerfile.tmpl` or `Dockerfile.j2` that a directory walk or a `Dockerfile*` glob took for a Dockerfile is listed and skipped, as a YAML template is. */
function templatedDockerfile(path: string, text: string, notes: FileNote[]): FoundReference[] | undefined {
  try {
    return dockerfileReferences(path, text);
  } catch (err) {
    if (err instanceof ImmutagError && TEMPLATE.test(text)) {
      notes.push({ path, reason: 'a template of a Dockerfile, not a Dockerfile: pin the one it renders instead' });
      return undefined;
    }
    throw err;
  }
}

function yamlKind(path: string, file: YamlFile): FileKind {
  if (/(^|\/)(docker-)?compose[^/]*\.ya?ml$/i.test(path)) return 'compose';
  if (file.docs.some((d) => isMap(d.contents) && d.contents.has('apiVersion') && d.contents.has('kind'))) return 'kubernetes';
  if (file.docs.some((d) => isMap(d.contents) && d.contents.has('services') && !d.contents.has('kind'))) return 'compose';
  return 'yaml';
}

/** The same text found by two rules (a workflow's container map is also an `image:` key) is one reference. */
function dedupeSpans(refs: FoundReference[]): FoundReference[] {
  shareSkips(refs);
  // A row checked where its bytes are also skipped stands for them: it comes first.
  const ordered = [...refs.filter((r) => r.skip === undefined), ...refs.filter((r) => r.skip !== undefined)];
  const seen = new Set<string>();
  const out: FoundReference[] = [];
  for (const r of ordered) {
    const key = r.skip === undefined && r.uneditable === undefined ? `${r.span.start}:${r.span.end}` : `at:${r.line}:${r.column}:${r.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * One anchored value reached from a place that is skipped and from one that is not is
 * one set of bytes. When the skip is about the text (a service that builds the image),
 * the alias names that built image too, and is skipped with it. When it is about where
 * the key sits (an annotation), the alias in a container is still pulled: it is checked,
 * but not rewritten, as the write would change the skipped place as well.
 */
function shareSkips(refs: FoundReference[]): void {
  const skippedAt = new Map<string, FoundReference>();
  for (const r of refs) if (r.skip !== undefined && r.span.end > r.span.start) skippedAt.set(spanKey(r), r);
  for (const r of refs) {
    const skipped = r.skip === undefined ? skippedAt.get(spanKey(r)) : undefined;
    if (skipped === undefined) continue;
    if (skipped.skipsAliases) {
      r.skip = skipped.skip;
      r.skipsAliases = true;
    } else {
      r.uneditable ??= `an alias (or a merge with <<:) of a value skipped at its anchor (${skipped.skip})`;
    }
  }
}

function spanKey(r: FoundReference): string {
  return `${r.span.start}:${r.span.end}`;
}
