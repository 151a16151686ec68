import fs from 'node:fs';
import path from 'node:path';
import { printGraphQLSchema } from '../../src/graphql/schema';

describe('schema.graphql', () => {
  it('is up to date with the resolvers (run `npm run build && npm run schema:emit` after changing them)', async () => {
    const checkedIn = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8');
    expect(checkedIn).toBe(await printGraphQLSchema());
  });
});
