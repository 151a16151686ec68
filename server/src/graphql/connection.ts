// The GraphQL side of cursor pagination (docs/api-conventions.md): the
// `XxxConnection { nodes, pageInfo, totalCount }` types and the `first`/`after`
// arguments. Pages themselves are built in the data layer (db/pagination.ts).
import { ArgsType, ClassType, Field, ObjectType, Int } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../db/pagination';

@ObjectType({ description: 'Where a page ends and whether there is more.', simpleResolvers: true })
export class PageInfo {
  @Field({ description: 'True when another page follows this one.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to fetch the next page; null on an empty page.' })
  endCursor!: string | null;
}

/** Declares `XxxConnection { nodes, pageInfo, totalCount }` for a node type. */
// type-graphql 2 emits only types reachable from resolvers, so this abstract
// base never appears in the schema; each `@ObjectType() class XConnection extends
// Connection(X)` does.
export function Connection<T extends object>(node: ClassType<T>) {
  @ObjectType({ simpleResolvers: true })
  abstract class ConnectionClass {
    @Field(() => [node], { description: "The items of this page, in the list's order." })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Cursor of the last item and whether more follow.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many items match the filter in total (all pages).' })
    totalCount!: number | Promise<number>;
  }
  return ConnectionClass;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor from pageInfo.endCursor of the previous page.' })
  after?: string | null;
}
