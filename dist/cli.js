#!/usr/bin/env node
import { createRequire as __immutagCreateRequire } from 'node:module'; const require = __immutagCreateRequire(import.meta.url);
import*as e from"node:module";var o=Number(process.versions.node.split(".")[0]);o<24&&(process.stderr.write(`immutag: needs Node.js 24 or later, and this is ${process.version}. Install Node 24 (or run npm ci in the immutag checkout, which provides it).
`),process.exit(2));try{e.enableCompileCache?.()}catch{}await import("./chunks/cli-UFOJCZGM.js");
