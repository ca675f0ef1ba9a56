#!/usr/bin/env node
// The installed entry point: everything lives in the compiled CLI module.
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`scapkit: internal error: ${err?.stack ?? err}\n`);
    process.exitCode = 1;
  },
);
