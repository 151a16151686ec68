// The package as partners get it: the build (`npm run build -w sdk`), installed in a
// folder of its own, loads through the exports map from ES modules and CommonJS.
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
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
  describe('verifyWebhook from the package', () => {
    const secret = 'whsec_package_test_secret';
    const body = JSON.stringify({
      id: 'evt_pkg',
      type: 'lead.created',
      created: 1_764_504_000,
      orgId: 'org_1',
      data: { object: { object: 'lead', id: 'lead_1' } },
    });
    // Signed here with node:crypto, independently of the SDK's Web Crypto code.
    const header = `t=1764504000,v1=${createHmac('sha256', secret).update(`1764504000.${body}`).digest('hex')}`;
    const script = (load: string) => `${load}
      const now = new Date(1764504000 * 1000);
      verifyWebhook(${JSON.stringify(body)}, ${JSON.stringify(header)}, ${JSON.stringify(secret)}, { now })
        .then((event) => verifyWebhook('{}', undefined, 'whsec_x').catch((error) => {
          console.log(event.id, event.type, error instanceof WebhookSignatureError, error instanceof Error, error.name, error.reason);
        }));`;
    const expected = 'evt_pkg lead.created true true WebhookSignatureError MISSING_HEADER';

    it('is exported by the ES module build', () => {
      expect(node(['--input-type=module', '-e', script(`import { verifyWebhook, WebhookSignatureError } from '@callsnare/sdk';`)])).toBe(expected);
    });

    it('is exported by the CommonJS build', () => {
      expect(node(['-e', script(`const { verifyWebhook, WebhookSignatureError } = require('@callsnare/sdk');`)])).toBe(expected);
    });

    it.each(['esm', 'cjs'])('a stack trace from the %s build resolves, through its source map, to TypeScript the map carries', (build) => {
      const load = build === 'esm' ? `import { verifyWebhook } from '@callsnare/sdk';` : `const { verifyWebhook } = require('@callsnare/sdk');`;
      const stack = node([
        '--enable-source-maps',
        ...(build === 'esm' ? ['--input-type=module'] : []),
        '-e',
        `${load}
         verifyWebhook('{}', 't=1,v1=nothex', 'whsec_x').catch((error) => console.log(error.stack));`,
      ]);
      // e.g. "at parseSignatureHeader (/tmp/…/node_modules/@callsnare/sdk/src/webhooks.ts:142:11)"
      const frame = /\((?:file:\/\/)?([^()]*?\/src\/webhooks\.ts):(\d+):(\d+)\)/.exec(stack);
      expect({ stack, mapped: frame !== null }).toEqual({ stack, mapped: true });
      const line = Number(frame![2]);
      // src/ is not shipped: the line must be readable from the map's sourcesContent.
      const map = JSON.parse(fs.readFileSync(path.join(installed, 'dist', build, 'webhooks.js.map'), 'utf8')) as {
        sources: string[];
        sourcesContent: string[];
      };
      const index = map.sources.findIndex((source) => source.endsWith('src/webhooks.ts'));
      const sourceLine = map.sourcesContent[index]!.split('\n')[line - 1];
      expect(sourceLine).toContain("new WebhookSignatureError('MALFORMED_HEADER'");
    });
  });
});

describe('the package a partner could publish as is (npm pack)', () => {
  interface Packed {
    files: { path: string }[];
  }
  let packed: string[];
  /** A copy of sdk/ (sources, tests, scripts and all) with a fresh build: what `npm pack` would see. */
  let copy: string;
  const manifest = JSON.parse(fs.readFileSync(path.join(sdk, 'package.json'), 'utf8')) as Record<string, unknown>;

  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'callsnare-sdk-pack-'));
    fs.cpSync(sdk, copy, { recursive: true, filter: (source) => !/[\\/](dist|node_modules)$/.test(source) });
    const build = spawnSync(process.execPath, [path.join(sdk, 'scripts/build.mjs'), '--out-dir', path.join(copy, 'dist')], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: copy, encoding: 'utf8' });
    if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stdout}${pack.stderr}`);
    packed = (JSON.parse(pack.stdout) as Packed[])[0]!.files.map((file) => file.path);
  });
  afterAll(() => {
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  });

  it('is MIT licensed, with the license text in the package and the decision in the README', () => {
    expect(manifest.license).toBe('MIT');
    expect(packed).toContain('LICENSE');
    expect(fs.readFileSync(path.join(sdk, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(fs.readFileSync(path.join(sdk, 'README.md'), 'utf8')).toMatch(/## License[\s\S]*MIT/);
  });

  it('ships dist, README, LICENSE and package.json only: no sources, tests or scripts', () => {
    const outside = packed.filter((file) => !file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file));
    expect(outside).toEqual([]);
    expect(manifest).toMatchObject({ sideEffects: false, engines: { node: expect.stringMatching(/^>=\d+/) }, types: './dist/cjs/index.d.ts' });
  });

  it('every file the manifest points at is in the package', () => {
    const targets = JSON.stringify(manifest.exports).match(/\.\/dist\/[^"]+/g) ?? [];
    for (const target of [manifest.main, manifest.module, manifest.types, ...targets]) {
      expect({ target, packed: packed.includes(String(target).replace(/^\.\//, '')) }).toEqual({ target, packed: true });
    }
  });

  it('source maps carry their sources: stack traces never point at src/ files that are not shipped', () => {
    const maps = fs
      .readdirSync(path.join(copy, 'dist'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.js.map'))
      .map((file) => path.join(copy, 'dist', file));
    expect(maps.length).toBeGreaterThan(0);
    for (const file of maps) {
      const map = JSON.parse(fs.readFileSync(file, 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      const missing = map.sources.filter((_, index) => typeof map.sourcesContent?.[index] !== 'string');
      expect({ file: path.relative(copy, file), missing }).toEqual({ file: path.relative(copy, file), missing: [] });
    }
  });
});
