// The push the benchmark times, as its own process so GNU time sees its peak RSS:
// open and verify the image, run the gate, push, as the CLI's push does minus the
// scan. Used until `immutag push` runs the pusher end to end.
//   node scripts/bench/push-child.ts LAYOUT INSECURE_HOST REF...
// Prints the push result (digest, pushed, stats) as JSON on stdout.
import { openImage } from '../../src/image/open-image.ts';
import { parseTagsInput } from '../../src/inputs/tags.ts';
import { ConsoleLogger } from '../../src/log.ts';
import { RegistryClient } from '../../src/registry/client.ts';
import { pushImage } from '../../src/registry/push.ts';

const [layout, insecure, ...refs] = process.argv.slice(2);
if (layout === undefined || insecure === undefined || refs.length === 0) {
  process.stderr.write('usage: push-child.ts LAYOUT INSECURE_HOST REF...\n');
  process.exit(2);
}
const logger = new ConsoleLogger({ verbose: process.env['IMMUTAG_VERBOSE'] === '1' });
const tags = parseTagsInput(refs.join('\n'));
const client = new RegistryClient({ logger, insecureRegistries: [insecure] });
const image = await openImage(layout, { names: tags.map((t) => t.input), logger });
try {
  const concurrency = Number(process.env['IMMUTAG_PUSH_CONCURRENCY'] ?? 4);
  const chunkSize = process.env['IMMUTAG_CHUNK_MIB'] ? Number(process.env['IMMUTAG_CHUNK_MIB']) * 1024 * 1024 : undefined;
  const release = process.env['IMMUTAG_RELEASE_MIB'];
  const result = await pushImage({ client, image, refs: tags, logger, concurrency, ...(chunkSize ? { tuning: { chunkSize } } : {}),
    ...(release !== undefined ? { releaseEveryBytes: Number(release) * 1024 * 1024 } : {}) });
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await image.close();
  await client.close();
}
