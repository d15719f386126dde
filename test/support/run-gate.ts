// Runs the gate in a fresh Node process, so tests can give it an environment Node
// reads only at startup (NODE_EXTRA_CA_CERTS). Input: one JSON argument; output: the
// gate's result as JSON on stdout.
import { MemoryLogger } from '../../src/log.ts';
import { checkTags } from '../../src/gate.ts';
import { parseTagsInput } from '../../src/inputs/tags.ts';
import { RegistryClient } from '../../src/registry/client.ts';

interface Args {
  tags: string;
  mutableTags?: string[];
  insecureRegistries?: string[];
  username?: string;
  password?: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const logger = new MemoryLogger();
const client = new RegistryClient({
  logger,
  auth: { ...(args.username ? { username: args.username } : {}), ...(args.password ? { password: args.password } : {}) },
  insecureRegistries: args.insecureRegistries ?? [],
  retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
});
try {
  const gate = await checkTags({ refs: parseTagsInput(args.tags), mutablePatterns: args.mutableTags ?? [], client, logger });
  process.stdout.write(JSON.stringify({ result: gate.result, existing: gate.existing, results: gate.results.map((r) => ({ tag: r.tag, verdict: r.verdict, state: r.state })) }));
} finally {
  await client.close();
}
