// sdk/src/generated/ is what `npm run codegen` makes from schema.graphql and
// sdk/src/operations/: a changed schema or operation without regenerating fails here.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

jest.setTimeout(60_000);

it('the generated documents and types are up to date with schema.graphql and the operations', () => {
  const bin = path.join(path.dirname(require.resolve('@graphql-codegen/cli/package.json')), 'esm/bin.js');
  const result = spawnSync(process.execPath, [bin, '--config', 'codegen.ts', '--check'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) {
    throw new Error(`sdk/src/generated is stale or codegen failed; run \`npm run codegen\`.\n${output}`);
  }
  expect(result.status).toBe(0);
});
