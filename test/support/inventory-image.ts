// An image of in-memory layers built from tar members, for inventory tests.
import { type Descriptor, type ImageManifest, MediaType } from '../../src/oci.ts';
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
