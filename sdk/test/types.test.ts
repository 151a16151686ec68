// The SDK's types catch misuse at compile time: `tsc --noEmit` on test/types/usage.ts
// passes only if the correct calls compile and every `@ts-expect-error` line is an error.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

jest.setTimeout(120_000);

const usage = path.join(__dirname, 'types/usage.ts');

it('correct usage compiles and every marked misuse is a type error', () => {
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', path.join(__dirname, 'types/tsconfig.json')], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (result.status !== 0) throw new Error(`tsc reported errors:\n${result.stdout}${result.stderr}`);
  expect(result.status).toBe(0);
});

it('the usage file holds the misuses it claims to', () => {
  const directives = fs.readFileSync(usage, 'utf8').match(/@ts-expect-error/g) ?? [];
  expect(directives.length).toBeGreaterThanOrEqual(25);
});
