// The entry points of an OCI image layout (a directory, an OCI archive, or the
// OCI form of docker save): `oci-layout` says it is one, `index.json` lists the
// images with their names. index.json itself is not content-addressed; it is the
// root of trust the builder wrote, and everything it points at is verified.
// https://github.com/opencontainers/image-spec/blob/main/image-layout.md
import { ImmutagError } from '../errors.ts';
import type { Descriptor } from '../oci.ts';
import { checkDescriptor } from './descriptor.ts';
import type { ImageFiles } from './files.ts';
import { LAYOUT_FIELDS, MANIFEST_FIELDS } from '../oci-json.ts';
import { readJsonMember } from './json-member.ts';
import type { ImageCandidate } from './select-image.ts';

export const REF_NAME = 'org.opencontainers.image.ref.name';
export const CONTAINERD_NAME = 'io.containerd.image.name';
const INDEX_LIMIT = 4 * 1024 * 1024;

export interface LayoutEntry extends ImageCandidate {
  descriptor: Descriptor;
}

export async function readLayoutEntries(files: ImageFiles): Promise<LayoutEntry[]> {
  const marker = await readJsonMember(files, 'oci-layout', 64 * 1024, LAYOUT_FIELDS);
  const version = (marker as { imageLayoutVersion?: unknown } | undefined)?.imageLayoutVersion;
  if (typeof version !== 'string' || !version.startsWith('1.')) {
    throw new ImmutagError('IMAGE_INVALID', `${files.location} has index.json but no valid oci-layout file (imageLayoutVersion ${JSON.stringify(version)})`, {
      hint: 'An OCI image layout must contain {"imageLayoutVersion": "1.0.0"} in oci-layout; export the image again.',
    });
  }
  const index = await readJsonMember(files, 'index.json', INDEX_LIMIT, MANIFEST_FIELDS);
  const manifests = (index as { manifests?: unknown } | undefined)?.manifests;
  if (!Array.isArray(manifests)) {
    throw new ImmutagError('IMAGE_INVALID', `${files.location}: index.json has no manifests list`, {
      hint: 'index.json must be an OCI image index; export the image again.',
    });
  }
  return manifests.map((value: unknown, i) => {
    const descriptor = checkDescriptor(value, `entry ${i + 1} of index.json in ${files.location}`);
    return { id: descriptor.digest, names: namesOf(descriptor), descriptor };
  });
}

function namesOf(descriptor: Descriptor): string[] {
  const annotations = descriptor.annotations ?? {};
  return [annotations[REF_NAME], annotations[CONTAINERD_NAME]].filter((n): n is string => typeof n === 'string' && n !== '');
}
