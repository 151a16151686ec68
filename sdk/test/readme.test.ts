// The README's three complete examples are the programs in examples/ (type-checked
// by `tsc -p sdk` and run against a local server), word for word.
import fs from 'node:fs';
import path from 'node:path';

const sdk = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(sdk, 'README.md'), 'utf8');

it.each(['sync-leads', 'callback-queue', 'weekly-report'])('README shows examples/%s.ts as it is', (name) => {
  const source = fs.readFileSync(path.join(sdk, 'examples', `${name}.ts`), 'utf8');
  // Everything after the file's header comment.
  const body = source.replace(/^(\/\/.*\n)+/, '').trim();
  expect(readme).toContain(`\`\`\`ts\n${body}\n\`\`\``);
});
