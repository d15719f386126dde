// Found by a review: BuildKit resolves `COPY --from=<name>` and `RUN --mount=from=<name>` against
// EVERY stage of the Dockerfile, not only earlier ones (dockerfile2llb toCommand runs
// after all stages are registered: findStateByName). dockerfile.ts only knows the
// stages seen so far, so a COPY --from= naming a later stage is taken for the image
// docker.io/library/<name>:latest: --check reports it unpinned or missing (a false
// violation), and `pin` (all files or none) either fails or writes
// `COPY --from=assets:latest@sha256:…` of an unrelated Docker Hub image into the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerfileReferences } from '../src/pin/find/dockerfile.ts';

test('a COPY --from= or RUN --mount=from= naming a later stage is not an image', () => {
  const text = [
    'FROM alpine:3.20 AS app',
    'COPY --from=assets /out /srv',
    'RUN --mount=type=bind,from=tools,target=/t /t/run',
    'FROM node:22 AS assets',
    'RUN build',
    'FROM busybox:1.36 AS tools',
    '',
  ].join('\n');
  const refs = dockerfileReferences('Dockerfile', text).map((r) => r.text);
  assert.deepEqual(refs, ['alpine:3.20', 'node:22', 'busybox:1.36']);
});
