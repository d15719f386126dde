#!/usr/bin/env node

// src/cli-entry.ts
var NEEDED_MAJOR = 24;
var major = Number(process.versions.node.split(".")[0]);
if (major < NEEDED_MAJOR) {
  const message = "needs Node.js " + NEEDED_MAJOR + " or later; this is Node.js " + process.version;
  const hint = "In a clone of immutag, `npm ci` installs Node " + NEEDED_MAJOR + " and `npx immutag` uses it.";
  process.stderr.write("immutag: " + message + ". " + hint + "\n");
  process.stdout.on("error", () => void 0);
  if (process.argv.indexOf("--json") !== -1) {
    process.stdout.write(JSON.stringify({ result: "error", tags: [], error: { code: "UNSUPPORTED_NODE", message, hint } }) + "\n");
  }
  process.exitCode = 2;
} else {
  import("./cli-main.js").catch((err) => {
    process.stderr.write("immutag: " + String(err && err.stack || err) + "\n");
    process.exitCode = 2;
  });
}
