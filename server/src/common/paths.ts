import fs from 'node:fs';
import path from 'node:path';

let root: string | null = null;

/** The repository root (the folder holding prisma/schema.prisma), from src/ or dist/ alike. */
export function repoRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'prisma', 'schema.prisma'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the CallSnare repository root (prisma/schema.prisma)');
    dir = parent;
  }
  root = dir;
  return root;
}
