// `npm run lint`: Prettier and typescript-eslint (strict, type-checked) over every
// workspace, in two lanes side by side (one per core); the output of each is printed
// when it ends and any finding fails the whole. knip (unused files, exports and
// dependencies) is `npm run knip`, its own step of `npm test`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const eslint = (...dirs) => [bin('eslint'), '--max-warnings', '0', ...dirs];

// ESLint is the long one (it type-checks every workspace): it runs as two processes, the
// server's sources (its own type-checked program, 22–31 s alone depending on the day's
// machine) and everything else (the SDK's, the dashboard's and the browser tests' programs,
// other tests without type information, 17–25 s). Prettier (11–15 s over everything) is split
// so that the two lanes end together. Prettier parses TypeScript with babel-ts
// (.prettierrc.json): the same output on every file here, ~20 % less time than the default
// typescript parser. Lint has to stay under 45 s on this 2-core machine: CI runs it. knip
// (9–12 s) left it for `npm test` when the machine got slower and lint took 56 s.
const prettier = (...paths) => [bin('prettier'), '--check', '--log-level', 'warn', '--no-editorconfig', ...paths];
const lanes = [
  [
    ['eslint server/src', eslint('server/src')],
    ['prettier', prettier('sdk/src', 'sdk/test', 'sdk/examples', 'web/src', 'web/test', 'web/e2e', 'packages/rules/src', 'scripts/*.mjs', 'bench/*.mjs')],
  ],
  [
    ['eslint', eslint('server/test', 'sdk/src', 'sdk/test', 'sdk/examples', 'web/src', 'web/test', 'web/e2e', 'packages/rules/src')],
    ['prettier server', prettier('server/src', 'server/test')],
  ],
];

// Building TypeScript programs allocates a great deal of short-lived memory: with V8's default
// 16 MB semi-spaces the young generation is collected over and over (on its own threads too).
// 64 MB semi-spaces: eslint server/src 22.7 -> 17.8 s alone, 33 -> 26 s of CPU.
const LINT_ENV = { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, '--max-semi-space-size=64'].filter(Boolean).join(' ') };

function run([name, [command, ...args]]) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: LINT_ENV });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ name, status: 1, output: `${output}${error.message}\n` }));
    child.on('close', (status) => resolve({ name, status: status ?? 1, output }));
  });
}

const failed = [];
async function lane(checks) {
  for (const check of checks) {
    const result = await run(check);
    if (result.output.trim()) process.stdout.write(`── ${result.name}\n${result.output}`);
    if (result.status !== 0) failed.push(result.name);
  }
}
await Promise.all(lanes.map(lane));
if (failed.length > 0) {
  console.error(`lint failed: ${failed.join(', ')}`);
  process.exit(1);
}
