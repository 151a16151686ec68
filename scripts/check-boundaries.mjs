#!/usr/bin/env node
// The import rules the codebase keeps (docs/architecture.md "Where things live"),
// checked on dependency-cruiser's graph of the TypeScript sources:
//   1. no import cycle between files (server, sdk, web);
//   2. no cycle between the folders of server/src (a folder is a module: if
//      leads imports callbacks, callbacks never imports leads, however indirectly);
//   3. services and other domain code never import the GraphQL layer (graphql/):
//      only resolvers, GraphQL types, loaders, the shield (graphql-shield rules
//      built from the permission table) and the app's assembly (app.ts, api/) may;
//   4. the dashboard and the SDK never import the server's sources.
// Exit 1 with one line per violation; `--graph` prints the folder graph.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const GRAPHQL_FACING = /\.(resolver|types|loaders)\.ts$|^server\/src\/access\/shield\.ts$|^server\/src\/(app|server)\.ts$|^server\/src\/(graphql|api)\//;

const result = await cruise(['server/src', 'web/src', 'sdk/src', 'packages/rules/src'], {
  doNotFollow: { path: 'node_modules' },
  exclude: { path: ['node_modules', 'server/src/generated', 'sdk/src/generated', '\\.test\\.tsx?$'] },
  tsPreCompilationDeps: true,
  tsConfig: { fileName: 'tsconfig.json' },
  validate: false,
});
const modules = result.output.modules.filter((module) => !module.coreModule && !module.source.includes('node_modules'));

const violations = [];
const edges = new Map(); // folder -> Set(folder)
const folderOf = (file) => /^server\/src\/([^/]+)\//.exec(file)?.[1] ?? null;

for (const module of modules) {
  for (const dependency of module.dependencies) {
    const target = dependency.resolved;
    if (target.includes('node_modules') || dependency.coreModule) continue;
    if (dependency.circular) violations.push(`cycle: ${dependency.cycle.map((step) => step.name ?? step).join(' -> ')} (from ${module.source})`);
    if (/^(web|sdk|packages)\//.test(module.source) && target.startsWith('server/src/')) {
      violations.push(`${module.source} imports the server's source ${target}: use the API, the generated types, or a shared package`);
    }
    if (module.source.startsWith('server/src/') && target.startsWith('server/src/graphql/') && !GRAPHQL_FACING.test(module.source)) {
      violations.push(`${module.source} imports the GraphQL layer (${target}): services stay independent of GraphQL`);
    }
    const from = folderOf(module.source);
    const to = folderOf(target);
    if (from && to && from !== to) {
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from).add(to);
    }
  }
}

for (const group of folderCycles(edges)) violations.push(`folders importing each other in a cycle: ${group.join(', ')}`);

if (process.argv.includes('--graph')) {
  for (const [from, targets] of [...edges].sort()) console.log(`${from} -> ${[...targets].sort().join(', ')}`);
}
const unique = [...new Set(violations)];
if (unique.length > 0) {
  for (const line of unique) console.error(line);
  console.error(`\n${unique.length} import rule violation(s) (scripts/check-boundaries.mjs)`);
  process.exit(1);
}
console.log(`import boundaries hold: ${modules.length} modules, ${edges.size} server folders, no cycles`);

/** Strongly connected components with more than one folder (Tarjan), each as a cycle path. */
function folderCycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  let counter = 0;
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}
