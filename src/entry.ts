#!/usr/bin/env node
// The `lvsplay` command's entry (bundled as dist/cli/lvsplay.js): `--version` needs nothing but
// package.json, so it is answered here, before the CLI and its chunks load (~50 ms instead of
// ~90-100 ms: node's own start is most of what is left). Everything else is src/cli.ts.
import { version } from './paths.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) process.stdout.write(`lvsplay ${version()}\n`);
else await import('./cli.js');
