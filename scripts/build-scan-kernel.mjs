// Assembles server/src/cli/scan-kernel.wat with wabt (the npm build of the WebAssembly Binary
// Toolkit, a devDependency: no system package, no root) and writes its base64 into the
// KERNEL_WASM literal of server/src/cli/scan-kernel.ts.
//   node scripts/build-scan-kernel.mjs          write scan-kernel.ts
//   node scripts/build-scan-kernel.mjs --check  exit 1 if the committed KERNEL_WASM differs from the .wat
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WAT_PATH = join(root, 'server', 'src', 'cli', 'scan-kernel.wat');
export const TS_PATH = join(root, 'server', 'src', 'cli', 'scan-kernel.ts');

/** The one KERNEL_WASM string literal (prettier puts it on the line after the `=`). */
const LITERAL = /(const KERNEL_WASM =\s*')([A-Za-z0-9+/=]*)(';)/g;

/** The module assembled from the .wat text: SIMD on, no name section (as `wat2wasm` by default). */
export async function assemble(watText, filename = 'scan-kernel.wat') {
  const wabt = await wabtInit();
  const module = wabt.parseWat(filename, watText, { simd: true });
  try {
    module.resolveNames();
    module.validate();
    return Buffer.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** The scan-kernel.ts text with KERNEL_WASM set to the base64 of `wasm`; throws unless there is exactly one literal. */
export function withKernel(tsText, wasm) {
  const found = [...tsText.matchAll(LITERAL)].length;
  if (found !== 1)
    throw new Error(`expected one KERNEL_WASM = '<base64>'; literal in scan-kernel.ts, found ${found}`);
  return tsText.replace(LITERAL, (_, head, _old, tail) => head + wasm.toString('base64') + tail);
}

/** The expected scan-kernel.ts text for the .wat and .ts on disk, and whether the committed one differs. */
export async function kernelSource(watPath = WAT_PATH, tsPath = TS_PATH) {
  const committed = readFileSync(tsPath, 'utf8');
  const text = withKernel(committed, await assemble(readFileSync(watPath, 'utf8'), watPath));
  return { path: tsPath, text, stale: text !== committed };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const source = await kernelSource();
  if (process.argv.includes('--check')) {
    if (source.stale) {
      console.error(
        `stale: KERNEL_WASM in ${source.path} is not the assembled ${WAT_PATH} (run npm run build:scan-kernel)`,
      );
    }
    process.exit(source.stale ? 1 : 0);
  }
  writeFileSync(source.path, source.text);
  console.log(`wrote ${source.path}${source.stale ? '' : ' (unchanged)'}`);
}
