// An image held in a directory: an OCI image layout, or an extracted docker save.
import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { checkMemberName, fingerprintOf, unreadableMember, type FileSpan, type ImageFiles } from './files.ts';

export class DirectoryFiles implements ImageFiles {
  readonly container = 'directory' as const;
  readonly location: string;
  private readonly root: string;

  private constructor(location: string, root: string) {
    this.location = location;
    this.root = root;
  }

  static async open(location: string): Promise<DirectoryFiles> {
    return new DirectoryFiles(location, await realpath(location));
  }

  async locate(name: string): Promise<FileSpan | undefined> {
    const relative = checkMemberName(name, this.location);
    const real = await this.resolve(relative);
    // A symlink inside the layout may point anywhere; only follow it within the layout.
    if (real === undefined || !real.startsWith(this.root + sep)) return undefined;
    const stats = await stat(real, { bigint: true }).catch((err: unknown) => {
      throw unreadableMember(relative, this.location, err);
    });
    if (!stats.isFile()) return undefined;
    return { file: real, start: 0, size: Number(stats.size), fingerprint: fingerprintOf(stats), name: relative };
  }

  /**
   * Only a name that is not there is absent. A link that cannot be followed or a file
   * that cannot be read is a layout immutag cannot use, and must not pass for a missing
   * (or, for index.json, a different kind of) image, nor escape as a bare Node error.
   */
  private async resolve(relative: string): Promise<string | undefined> {
    try {
      return await realpath(join(this.root, relative));
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw unreadableMember(relative, this.location, err);
    }
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
