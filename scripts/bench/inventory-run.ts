// Driver for the inventory benchmark: the built-in inventory over an OCI layout, in a
// process of its own so GNU time sees its peak RSS. Prints what it found as JSON.
import { inventoryImage } from '../../src/scan/inventory.ts';
import { LayoutBlobSource } from '../../test/support/blob-source.ts';

const source = new LayoutBlobSource(process.argv[2]!);
const inventory = await inventoryImage(source, await source.manifest(process.argv[3]));
const byType: Record<string, number> = {};
for (const pkg of inventory.packages) byType[pkg.type] = (byType[pkg.type] ?? 0) + 1;
process.stdout.write(JSON.stringify({ byType, notes: inventory.notes.length }));
