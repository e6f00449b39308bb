// Bundles the entry points into dist/: the VS Code client, the language server, the CLI, and the
// report view's webview script with its CSS (uPlot included: the webview loads nothing else).
// One file each, so the .vsix and the npm bins need no node_modules at run time.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/client.js',
    external: ['vscode'],
  }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' }),
  // runs in the webview (a browser): also writes dist/webview/report-view.css from its CSS imports
  build({
    ...common,
    platform: 'browser',
    target: 'chrome108',
    format: 'iife',
    sourcemap: false,
    entryPoints: ['client/webview/main.ts'],
    outfile: 'dist/webview/report-view.js',
  }),
]);
