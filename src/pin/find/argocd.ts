// An Argo CD Application's kustomize image overrides: `spec.source.kustomize.images` (and
// each of `spec.sources[]`), strings in `kustomize edit set image` form,
// `[name=]newName[:newTag][@digest]`. Argo CD applies each before it builds the
// manifests, so the part after `=` is what the cluster pulls; a pin appends the digest
// there, which kustomize keeps beside the tag.
// https://argo-cd.readthedocs.io/en/stable/user-guide/kustomize/
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { FoundReference } from '../model.ts';
import { fromScalar } from './image-key.ts';
import { anchored, valueNamed, type YamlFile } from './yaml-document.ts';

export function argoKustomizeImages(path: string, file: YamlFile): FoundReference[] {
  const out: FoundReference[] = [];
  for (const doc of file.docs) {
    const contents = doc.contents;
    if (!isMap(contents) || (contents.get('kind') as unknown) !== 'Application') continue;
    const apiVersion = contents.get('apiVersion') as unknown;
    const spec = valueNamed(doc, contents, 'spec');
    if (typeof apiVersion !== 'string' || !apiVersion.startsWith('argoproj.io/') || !isMap(spec)) continue;
    const many = valueNamed(doc, spec, 'sources');
    // A multi-source Application's entries are often one anchored source reused (`- *src`):
    // Argo CD reads the anchored map, so each entry is read through its alias.
    const listed = isSeq(many) ? (many.items as Node[]).map((s) => anchored(doc, s)) : [];
    const sources = [valueNamed(doc, spec, 'source'), ...listed];
    for (const source of sources) {
      const kustomize = isMap(source) ? valueNamed(doc, source, 'kustomize') : null;
      const images = isMap(kustomize) ? valueNamed(doc, kustomize, 'images') : null;
      if (!isSeq(images)) continue;
      for (const written of images.items as Node[]) {
        const item = anchored(doc, written);
        const value = isScalar(item) && typeof item.value === 'string' ? item.value : undefined;
        if (value === undefined) continue;
        const equals = value.indexOf('=');
        const found = fromScalar(path, 'kubernetes', file, item, equals < 0 ? '' : value.slice(0, equals + 1));
        if (found === undefined) continue;
        found.site = written.range?.[0];
        out.push(found);
      }
    }
  }
  return out;
}
