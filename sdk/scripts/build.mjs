// `npm run build -w sdk`: dist/esm (ES modules) and dist/cjs (CommonJS), each with
// its .d.ts, from a clean dist. Plain tsc: no bundler, nothing to configure twice.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const sdk = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = require.resolve('typescript/bin/tsc');
// `--out-dir DIR` builds elsewhere (the package test installs a copy in a temporary folder).
const outIndex = process.argv.indexOf('--out-dir');
const dist = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : path.join(sdk, 'dist');

fs.rmSync(dist, { recursive: true, force: true });
for (const [config, type] of [['tsconfig.esm.json', 'module'], ['tsconfig.cjs.json', 'commonjs']]) {
  const outDir = path.join(dist, type === 'module' ? 'esm' : 'cjs');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(sdk, config), '--outDir', outDir], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // Tells Node (and bundlers) how to read the .js files of each half.
  fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify({ type }, null, 2)}\n`);
}
console.log(`@callsnare/sdk built: ${path.relative(process.cwd(), dist) || 'dist'}/{esm,cjs}`);
