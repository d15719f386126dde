// GitHub workflow files: a job's `container:` (a string, or a map whose `image:` the
// image-key rule finds), `services:` (maps with `image:`, found the same way), and a
// step's `uses: docker://image:tag`, whose reference is the text after the scheme. An
// action's inputs (`with:`) and `env:` are not looked into, but a value written as an
// alias (`container: *image`) is the anchored text wherever the anchor is, env included.
// A job or a service whose id is `env` or `with` is read as any other.
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax
import { isMap, isScalar, visit, type Node } from 'yaml';
import type { FoundReference } from '../model.ts';
import { fromScalar, workflowText } from './image-key.ts';
import { anchored, keyName } from './yaml-document.ts';
import type { YamlFile } from './yaml-document.ts';

export function isWorkflow(path: string, file: YamlFile): boolean {
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return true;
  return file.docs.some((d) => isMap(d.contents) && d.contents.has('jobs') && (d.contents.has('on') || d.contents.has(true)));
}

export function workflowReferences(path: string, file: YamlFile): FoundReference[] {
  const out: FoundReference[] = [];
  for (const doc of file.docs) {
    visit(doc, {
      Pair(_, pair, ancestors) {
        const key = keyName(doc, pair.key);
        if (workflowText(doc, 'workflow', key, ancestors)) return visit.SKIP;
        const written = pair.value as Node | null;
        const value = anchored(doc, written);
        let found: FoundReference | undefined;
        if (key === 'container' && isScalar(value)) found = fromScalar(path, 'workflow', file, value);
        if (key === 'uses' && isScalar(value) && typeof value.value === 'string' && value.value.startsWith('docker://')) {
          found = fromScalar(path, 'workflow', file, value, 'docker://');
        }
        if (found === undefined) return;
        found.site = written?.range?.[0];
        out.push(found);
      },
    });
  }
  return out;
}
