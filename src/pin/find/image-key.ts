// Every `image:` key with a string value, at any depth of any YAML document: the
// containers, initContainers and ephemeralContainers of Pods, Deployments, Jobs and
// CronJobs, Docker Compose services, and any CRD (Argo, Tekton, Flux...) that names
// an image the same way. A Helm-values style `image: {registry, repository, tag,
// digest}` map is read as the reference the chart renders from it: checked, not
// rewritten (helm-image.ts). `image: *alias` is the anchored text, found (and pinned)
// where the anchor is. In Compose, a service with `build:` names the image it builds,
// not one to pull (https://docs.docker.com/reference/compose-file/build/).
import { isMap, isPair, isScalar, visit, type Document, type Node, type YAMLMap } from 'yaml';
import { readReference } from '../reference-text.ts';
import type { FileKind, FoundReference } from '../model.ts';
import { anchored, keyName, mergedGet, pairNamed, position, scalarSpan, type YamlFile } from './yaml-document.ts';
import { helmImage } from './helm-image.ts';

/** A GitHub action's metadata file: a composite action's steps read like a workflow's. */
export function isActionFile(path: string): boolean {
  return /(^|\/)action\.ya?ml$/.test(path);
}

/**
 * In a workflow or an action's steps, `with:` and `env:` hold inputs and variables: text,
 * not references to pull. But `env` and `with` are also valid job and service ids: a
 * pair directly under `jobs:` or `services:` is a job or a service, whose container,
 * services and steps are pulled.
 */
export function workflowText(doc: Document, kind: FileKind, name: unknown, ancestors: readonly unknown[], path = ''): boolean {
  const steps = kind === 'workflow' || isActionFile(path);
  if (!steps || (name !== 'with' && name !== 'env')) return false;
  return !namesAJobOrService(doc, ancestors);
}

/**
 * Whether the map holding a pair (the last of its ancestors) is a workflow's top-level
 * `jobs:` or a job's `services:`: only there is `env`/`with` an id. A job whose own id is
 * `services` or `jobs` keeps its env: and with: as variables and inputs.
 */
function namesAJobOrService(doc: Document, ancestors: readonly unknown[]): boolean {
  const n = ancestors.length;
  const holder = ancestors[n - 2];
  if (!isPair(holder)) return false;
  const key = keyName(doc, holder.key);
  if (key === 'jobs') return ancestors[n - 3] === doc.contents;
  if (key !== 'services') return false;
  const jobs = ancestors[n - 6];
  return isPair(ancestors[n - 4]) && isPair(jobs) && keyName(doc, jobs.key) === 'jobs' && ancestors[n - 7] === doc.contents;
}

export function imageKeys(path: string, kind: FileKind, file: YamlFile): FoundReference[] {
  const out: FoundReference[] = [];
  for (const doc of file.docs) {
    const at: ImageSite = { path, kind, file, doc, out };
    visit(doc, {
      Pair(_, pair, ancestors) {
        const key = keyName(doc, pair.key);
        if (workflowText(doc, kind, key, ancestors, path)) return visit.SKIP;
        if (key === 'image') imageValue(at, pair.value as Node | null, ancestors);
        return undefined;
      },
      Map(_, map, ancestors) {
        // `- <<: *defaults` gives a container the anchored map's `image:`. The anchored map
        // is read where it is written too, but that place may be one whose images are
        // skipped (an annotation), so the container's own use is read here, in its place.
        const merged = mergedImage(doc, map);
        if (merged !== undefined) imageValue(at, merged, [...ancestors, map]);
      },
    });
  }
  return out;
}

/** What every `image:` value found in one YAML document shares. */
interface ImageSite {
  path: string;
  kind: FileKind;
  file: YamlFile;
  doc: Document;
  out: FoundReference[];
}

/**
 * The `image:` a map takes only through a merge key (`<<: *a`, `<<: [*a, *b]`): undefined
 * when the map has no merge or says `image:` itself (that pair is read as it stands).
 */
function mergedImage(doc: Document, map: YAMLMap): Node | undefined {
  const merges = map.items.some((p) => isScalar(p.key) && p.key.value === '<<');
  if (!merges || pairNamed(doc, map, 'image') !== undefined) return undefined;
  return mergedGet(doc, map, 'image');
}

/**
 * One `image:` value as written, in the map `ancestors` ends with: a Helm-style map, or a
 * reference (Compose's platform:, build: and pull_policy: read from that map or the service it extends).
 */
function imageValue(at: ImageSite, written: Node | null, ancestors: readonly unknown[]): void {
  const { path, kind, file, doc, out } = at;
  const value = anchored(doc, written);
  if (isMap(value)) {
    const split = helmImage(path, kind, file, doc, value);
    if (split !== undefined) out.push(split);
    return;
  }
  // A Docker action's action.yml says `image: docker://alpine:3.20`: the reference follows the scheme.
  const prefix = isScalar(value) && typeof value.value === 'string' && value.value.startsWith('docker://') ? 'docker://' : '';
  const found = fromScalar(path, kind, file, value, prefix);
  if (found === undefined) return;
  found.site = written?.range?.[0];
  const parent = ancestors[ancestors.length - 1];
  if (kind === 'compose' && isMap(parent)) {
    const platform = servicePlatform(doc, parent);
    if (platform !== undefined) found.platform = platform;
  }
  const notReference = found.uneditable === undefined ? notAReference(doc, ancestors, parent, found.text) : undefined;
  if (notReference !== undefined) {
    found.skip = notReference;
  } else if (kind === 'compose' && isMap(parent) && buildsHere(doc, parent) && !pullsFirst(doc, parent) && found.uneditable === undefined) {
    found.skip = 'the image this service builds (its build:, beside image:, merged in with <<: or inherited through extends:), not one to pull';
    found.skipsAliases = true;
  }
  out.push(found);
}

/**
 * The platform a Compose service asks for, lowercased: its own `platform:`, merged in, or
 * inherited through `extends:` (Compose gives the extending service every setting of the
 * one it names). Undefined when none is written or it is a variable, decided at run time.
 */
function servicePlatform(doc: Document, service: YAMLMap): string | undefined {
  const platform = anchored(doc, serviceSetting(doc, service, 'platform') ?? null);
  if (!isScalar(platform) || typeof platform.value !== 'string' || platform.value.includes('$')) return undefined;
  return platform.value.toLowerCase();
}

/**
 * Whether a Compose service builds its `image:`: `build:` in the service's own settings
 * (serviceSetting). An `extends:` naming another file is not followed: its service is
 * checked as pulled.
 */
function buildsHere(doc: Document, service: YAMLMap): boolean {
  return serviceSetting(doc, service, 'build') !== undefined;
}

/**
 * Whether Compose pulls a service's `image:` although it also builds it: its pull_policy
 * is one that pulls (always, missing, if_not_present, daily, weekly, every_<duration>),
 * and Compose then runs the pulled image. Without one, or with `build` or `never`, the
 * built image is the one that runs.
 */
function pullsFirst(doc: Document, service: YAMLMap): boolean {
  const policy = anchored(doc, serviceSetting(doc, service, 'pull_policy') ?? null);
  if (!isScalar(policy)) return false;
  const value = String(policy.value).toLowerCase();
  return value !== 'build' && value !== 'never';
}

/**
 * A Compose service's setting as Compose reads it: in the service map, merged into it
 * (`<<: *build`, the usual way to share settings), or inherited from the service it
 * extends in this file (`extends: {service: base}`, or `extends: base`).
 */
function serviceSetting(doc: Document, service: YAMLMap, key: string, seen = new Set<YAMLMap>()): Node | undefined {
  const own = mergedGet(doc, service, key);
  if (own !== undefined) return own;
  seen.add(service);
  const base = extendedService(doc, anchored(doc, mergedGet(doc, service, 'extends') ?? null));
  return base === undefined || seen.has(base) ? undefined : serviceSetting(doc, base, key, seen);
}

function extendedService(doc: Document, extendsValue: Node | null): YAMLMap | undefined {
  let name: unknown;
  if (isScalar(extendsValue)) name = extendsValue.value;
  if (isMap(extendsValue) && !extendsValue.has('file')) name = anchored(doc, (extendsValue.get('service', true) as Node | undefined) ?? null)?.toJSON();
  const services = doc.get('services', true);
  if (typeof name !== 'string' || !isMap(services)) return undefined;
  const base = anchored(doc, (services.get(name, true) as Node | undefined) ?? null);
  return isMap(base) ? base : undefined;
}

/** Keys beside a tagless `image:` that say it is a repository whose tag is set apart (Helm values). */
const TAG_KEYS = ['tag', 'imageTag', 'version', 'digest', 'imageDigest'];

/**
 * Why an `image:` holding a bare repository is not a reference to pin: Helm values with
 * `image: repo` beside `imageTag: 8.5.1` (the chart joins them; pinning `repo` would write
 * `repo:latest@…` and render `repo:latest@…:8.5.1`), a Flux ImageRepository's `spec.image`
 * (a repository to scan, which Flux refuses with a tag) and a Kubernetes object's
 * `metadata` (labels and annotations). A bare `image: nginx` in a Pod is `nginx:latest`
 * and is pinned.
 */
function notAReference(doc: Document, ancestors: readonly unknown[], parent: unknown, text: string): string | undefined {
  if (inObjectMetadata(doc, ancestors)) return 'in metadata (a label or annotation), not an image to pull';
  const read = readReference(text);
  if (read.kind !== 'ok' || read.ref.tag !== undefined || read.ref.digest !== undefined) return undefined;
  const apiVersion = doc.get('apiVersion');
  // Only in a values file (no apiVersion or kind): an operator's resource with version:
  // beside image: (ECK, Strimzi) pulls the image as written.
  const values = apiVersion === undefined && doc.get('kind') === undefined;
  const tagKey = values && isMap(parent) ? TAG_KEYS.find((k) => parent.has(k)) : undefined;
  if (tagKey !== undefined) return `a repository whose tag is set apart (${tagKey}: beside image:, as in Helm values), not a reference`;
  if (doc.get('kind') === 'ImageRepository' && typeof apiVersion === 'string' && apiVersion.startsWith('image.toolkit.fluxcd.io/')) {
    return 'a Flux ImageRepository: the repository it scans for tags, not an image to pull';
  }
  return undefined;
}

/**
 * Whether an `image:` is in a Kubernetes object's `metadata` (labels and annotations):
 * the document is a Kubernetes object (apiVersion and kind) and a `metadata` key is on
 * the way to it. A Compose service or a workflow job named `metadata` is not in one: its
 * images are pulled.
 */
function inObjectMetadata(doc: Document, ancestors: readonly unknown[]): boolean {
  // Within a Kubernetes object, any `metadata` (its own, a pod template's, an Argo
  // template's or a Tekton taskSpec's, which have no spec beside them) is labels and
  // annotations; a Compose file or a workflow is not a Kubernetes object.
  if (!kubernetesObject(doc, doc.contents)) return false;
  return ancestors.some((a) => isPair(a) && keyName(doc, a.key) === 'metadata');
}

function kubernetesObject(doc: Document, node: unknown): boolean {
  return isMap(node) && pairNamed(doc, node, 'apiVersion') !== undefined && pairNamed(doc, node, 'kind') !== undefined;
}

/** A FoundReference for a scalar value, `uneditable` set when it cannot be edited in place. */
export function fromScalar(path: string, kind: FileKind, file: YamlFile, node: Node | null, prefix = ''): FoundReference | undefined {
  if (isMap(node)) return undefined;
  const s = scalarSpan(node, file.text);
  // `image: true` or `image: 3` is some other schema's field, not a reference.
  if (s === undefined || typeof (node as { value?: unknown }).value !== 'string' || (node as { value: string }).value === '') return undefined;
  if (!s.ok) {
    const at = position(file, (node as { range: [number, number, number] }).range[0]);
    const text = String((node as { value?: unknown }).value ?? '');
    return { file: path, ...at, kind, text, span: { start: 0, end: 0 }, uneditable: s.reason };
  }
  if (prefix !== '' && !s.text.startsWith(prefix)) return undefined;
  const start = s.span.start + prefix.length;
  return { file: path, ...position(file, start), kind, text: s.text.slice(prefix.length), span: { start, end: s.span.end } };
}
