// An image of in-memory layers built from tar members, for inventory tests.
import { fileURLToPath } from 'node:url';
import { type Descriptor, type ImageManifest, MediaType } from '../../src/oci.ts';
import { type Inventory, inventoryImage } from '../../src/scan/inventory.ts';
import type { PolicyOptions } from '../../src/scan/policy.ts';
import { type ScanOutcome, scanImage } from '../../src/scan/scan.ts';
import { MemoryBlobSource } from './blob-source.ts';
import { buildTar, type Compression, compress, type TarMember } from './layer-tar.ts';

export class InventoryImage {
  readonly source = new MemoryBlobSource();
  readonly layers: Descriptor[] = [];

  async layer(members: TarMember[], compression: Compression = 'gzip'): Promise<Descriptor> {
    const media = { gzip: MediaType.ociLayerGzip, zstd: MediaType.ociLayerZstd, none: MediaType.ociLayer }[compression];
    const descriptor = this.source.add(compress(await buildTar(members), compression), media);
    this.layers.push(descriptor);
    return descriptor;
  }

  get manifest(): ImageManifest {
    const config = this.source.add(Buffer.from('{}'), MediaType.ociConfig);
    return { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: this.layers };
  }
}

/** The inventory of an image whose layers hold these members, in order. */
export async function inventoryOfLayers(...layers: TarMember[][]): Promise<Inventory> {
  const image = new InventoryImage();
  for (const members of layers) await image.layer(members);
  return inventoryImage(image.source, image.manifest);
}

/** The built-in scan of an image whose layers hold these members, against the OSV records in test/fixtures/scan/osv. */
export async function scanOfLayers(layers: TarMember[][], failOn: PolicyOptions['failOn']): Promise<ScanOutcome> {
  const image = new InventoryImage();
  for (const members of layers) await image.layer(members);
  const bytes = Buffer.from(JSON.stringify(image.manifest));
  const top = image.source.add(bytes, MediaType.ociManifest);
  return scanImage({
    source: image.source, top, manifests: new Map([[top.digest, bytes]]), engine: 'osv',
    vulnDb: fileURLToPath(new URL('../fixtures/scan/osv/', import.meta.url)), policy: { failOn, ignoreUnfixed: false },
  });
}
