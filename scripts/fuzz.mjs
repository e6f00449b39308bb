// `npm run fuzz [-- options]`: the long fuzz run of test/fuzz/run.ts (compiled to out/ by the npm
// script's `tsc -b`, with the server and CLI bundles built by esbuild). `--help` lists the options.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { main } = require('../out/test/fuzz/run.js');

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
