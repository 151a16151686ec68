// Assembles the executable schema from every domain's resolvers.
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import './enums';
import { ViewerResolver } from '../access/viewer.resolver';

export const resolvers = [ViewerResolver] as const;

let cached: Promise<GraphQLSchema> | null = null;

/** The schema is the same for every app instance in a process; build it once. */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({ resolvers: [...resolvers], validate: false, emitSchemaFile: false });
  return cached;
}

/** The SDL as checked in at the repository root (schema.graphql). */
export async function printGraphQLSchema(): Promise<string> {
  const schema = await buildGraphQLSchema();
  return `${printSchema(lexicographicSortSchema(schema)).trim()}\n`;
}
