// Verify mode, a tag at another digest than the one given. build-push-action offers
// two digests, `digest` (what the tag names) and `imageid` (the image's config), and
// `imagetools inspect` and registry pages list each platform's manifest beside the
// index: given one of those, verify can never pass, and blaming another build or a
// moved tag sends the user after a race that most likely never happened. Before the
// report says so, this looks at what the digest given is. Only a refused run pays:
// a passing one never gets here.
import type { GateTagResult } from '../gate.ts';
import { answersAsBlob } from '../registry/blob.ts';
import type { RegistryClient } from '../registry/client.ts';
import { answersAsManifest } from '../registry/manifest.ts';
import type { ManifestChild } from '../registry/tag-state.ts';
import type { GivenDigest, TagReport } from '../report/run-report.ts';

/** Marks each refused row (`rows[i]` is `results[i]`'s, as gateRows made them) for which the digest given is of the wrong kind. */
export async function explainGivenDigest(results: readonly GateTagResult[], rows: TagReport[], given: string, client: RegistryClient): Promise<void> {
  const blobs = new Map<string, Promise<boolean>>();
  await Promise.all(results.map(async (result, i) => {
    const row = rows[i];
    if (row?.state !== 'refused' || result.state.kind !== 'present' || result.state.digest === given) return;
    const is = listedIn(result.state.children, given) ?? await blobOf(result, given, client, blobs);
    if (is !== undefined) row.givenDigestIs = is;
  }));
}

function listedIn(children: readonly ManifestChild[] | undefined, given: string): GivenDigest | undefined {
  const child = children?.find((c) => c.digest === given);
  if (child === undefined) return undefined;
  return child.platform === undefined ? { kind: 'listed-manifest' } : { kind: 'listed-manifest', platform: child.platform };
}

/** One question per repository, however many of its tags were refused. */
async function blobOf(result: GateTagResult, given: string, client: RegistryClient, asked: Map<string, Promise<boolean>>): Promise<GivenDigest | undefined> {
  const key = `${result.ref.registry}/${result.ref.repository}`;
  let answer = asked.get(key);
  if (answer === undefined) {
    answer = onlyABlob(result, given, client);
    asked.set(key, answer);
  }
  return (await answer) ? { kind: 'blob' } : undefined;
}

/**
 * A blob and not a manifest. Registries that keep manifests in the blob store (zot, for
 * one) answer a blob HEAD for a manifest too, and another build's manifest must still
 * read as another build's: a digest the registry also serves as a manifest is not called a blob.
 */
async function onlyABlob(result: GateTagResult, given: string, client: RegistryClient): Promise<boolean> {
  const { registry, repository } = result.ref;
  if (!(await answersAsBlob(client.transport, { registry, repository }, given))) return false;
  return !(await answersAsManifest(client.transport, { registry, repository, reference: given }));
}
