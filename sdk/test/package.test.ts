// The package as partners get it: the build (`npm run build -w sdk`), installed in a
// folder of its own, loads through the exports map from ES modules and CommonJS.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SDK_VERSION } from '../src/version';

const sdk = path.resolve(__dirname, '..');

jest.setTimeout(120_000);

/** A folder where the package is installed as a partner would have it: only `files`, plus its dependencies. */
let consumer: string;

function node(args: string[]) {
  const result = spawnSync(process.execPath, args, { cwd: consumer, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout.trim();
}

it('SDK_VERSION is the version in sdk/package.json', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(sdk, 'package.json'), 'utf8')) as { version: string };
  expect(SDK_VERSION).toBe(manifest.version);
});

it('depends on nothing at run time but graphql and @graphql-typed-document-node/core', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(sdk, 'package.json'), 'utf8')) as { dependencies?: object; peerDependencies?: object };
  expect(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).sort()).toEqual(['@graphql-typed-document-node/core', 'graphql']);
});

describe('the built package', () => {
  let installed: string;

  beforeAll(() => {
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'callsnare-sdk-consumer-'));
    installed = path.join(consumer, 'node_modules/@callsnare/sdk');
    // A build of its own: the working tree's sdk/dist is left alone.
    const build = spawnSync(process.execPath, [path.join(sdk, 'scripts/build.mjs'), '--out-dir', path.join(installed, 'dist')], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    fs.copyFileSync(path.join(sdk, 'package.json'), path.join(installed, 'package.json'));
    for (const dependency of ['graphql', '@graphql-typed-document-node/core']) {
      const target = path.join(consumer, 'node_modules', dependency);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.symlinkSync(path.dirname(require.resolve(`${dependency}/package.json`)), target, 'dir');
    }
  });
  afterAll(() => {
    if (consumer) fs.rmSync(consumer, { recursive: true, force: true });
  });

  it('emits ES modules, CommonJS and declarations for both entry points', () => {
    for (const file of ['esm/index.js', 'esm/index.d.ts', 'esm/documents.js', 'cjs/index.js', 'cjs/index.d.ts', 'cjs/documents.js']) {
      expect(fs.existsSync(path.join(installed, 'dist', file))).toBe(true);
    }
    expect(JSON.parse(fs.readFileSync(path.join(installed, 'dist/esm/package.json'), 'utf8'))).toEqual({ type: 'module' });
    expect(JSON.parse(fs.readFileSync(path.join(installed, 'dist/cjs/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  });

  it('ships browser-safe code: no Node built-ins, no process, no Buffer', () => {
    const dir = path.join(installed, 'dist/esm');
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const code = fs.readFileSync(path.join(dir, file), 'utf8');
      expect({ file, nodeOnly: code.match(/from ['"]node:|\brequire\(|\bprocess\.|\bBuffer\b/g) }).toEqual({ file, nodeOnly: null });
    }
  });

  it('loads with import', () => {
    const out = node([
      '--input-type=module',
      '-e',
      `import { CallSnare, ForbiddenError, CallSnareError } from '@callsnare/sdk';
       import { ViewerDocument } from '@callsnare/sdk/documents';
       const client = new CallSnare({ apiKey: 'cs_test_x', baseUrl: 'http://127.0.0.1:9' });
       console.log(typeof client.leads.list, new ForbiddenError('no', { code: 'FORBIDDEN' }) instanceof CallSnareError, ViewerDocument.kind);`,
    ]);
    expect(out).toBe('function true Document');
  });

  it('loads with require', () => {
    const out = node([
      '-e',
      `const { CallSnare } = require('@callsnare/sdk');
       const { LeadsDocument } = require('@callsnare/sdk/documents');
       console.log(typeof new CallSnare({ apiKey: 'cs_test_x', baseUrl: 'http://127.0.0.1:9' }).viewer, LeadsDocument.kind);`,
    ]);
    expect(out).toBe('function Document');
  });
});
