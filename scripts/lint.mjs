// `npm run lint`: Prettier, typescript-eslint (strict, type-checked) and knip over every
// workspace, side by side (ESLint on one core, Prettier then knip on another); the output
// of each is printed when it ends and any finding fails the whole.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const eslint = (...dirs) => [bin('eslint'), '--max-warnings', '0', ...dirs];

// ESLint is the long one (it type-checks every workspace); Prettier and knip run beside it.
const checks = [
  ['eslint', eslint('server/src', 'server/test', 'sdk/src', 'sdk/test', 'sdk/examples', 'web/src', 'web/test', 'web/e2e', 'packages/rules/src')],
  [
    'prettier',
    [
      bin('prettier'),
      '--check',
      '--log-level',
      'warn',
      ...['server/src', 'server/test', 'sdk/src', 'sdk/test', 'sdk/examples', 'web/src', 'web/test', 'web/e2e', 'packages/rules/src', 'scripts/*.mjs'],
    ],
  ],
  ['knip', [bin('knip')]],
];

function run([name, [command, ...args]]) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ name, status: 1, output: `${output}${error.message}\n` }));
    child.on('close', (status) => resolve({ name, status: status ?? 1, output }));
  });
}

const queue = [...checks];
const failed = [];
async function worker() {
  for (let check = queue.shift(); check; check = queue.shift()) {
    const result = await run(check);
    if (result.output.trim()) process.stdout.write(`── ${result.name}\n${result.output}`);
    if (result.status !== 0) failed.push(result.name);
  }
}
await Promise.all([worker(), worker()]);
if (failed.length > 0) {
  console.error(`lint failed: ${failed.join(', ')}`);
  process.exit(1);
}
