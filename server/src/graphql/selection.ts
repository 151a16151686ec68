// What a client selected below the field being resolved, so a read can fetch
// only the columns the answer needs ("select only the fields you need").
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

type SelectionInfo = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

// graphql-js hands every item of a list the same fieldNodes array: one walk per list, not per item.
const memo = new WeakMap<readonly FieldNode[], Map<string, ReadonlySet<string>>>();

/**
 * Names of the fields selected at `path` below the field being resolved (`['nodes']`:
 * the items of a connection), through fragments of any type condition and whatever
 * their @skip/@include: a field counted too many costs a column, never an answer.
 */
export function selectedFieldNames(info: SelectionInfo, path: readonly string[] = []): ReadonlySet<string> {
  const key = path.join('.');
  let byPath = memo.get(info.fieldNodes);
  const known = byPath?.get(key);
  if (known) return known;
  const names = new Set(fieldsAt(info, path).map((field) => field.name.value));
  if (!byPath) memo.set(info.fieldNodes, (byPath = new Map<string, ReadonlySet<string>>()));
  byPath.set(key, names);
  return names;
}

/** The fields selected at `path` below the field being resolved, through fragments (see selectedFieldNames). */
export function fieldsAt(info: SelectionInfo, path: readonly string[]): FieldNode[] {
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const name of path) {
    sets = sets.flatMap((set) =>
      fieldsOf(set, info.fragments).flatMap((field) => (field.name.value === name && field.selectionSet ? [field.selectionSet] : [])),
    );
  }
  return sets.flatMap((set) => fieldsOf(set, info.fragments));
}

function fieldsOf(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen: ReadonlySet<string> = new Set()): FieldNode[] {
  return set.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    const fragment = fragments[name];
    // Validation refuses fragment cycles; never loop on one anyway.
    if (!fragment || seen.has(name)) return [];
    return fieldsOf(fragment.selectionSet, fragments, new Set([...seen, name]));
  });
}

/**
 * The columns that answer `fields` on a type backed by one table's rows: a field
 * named like a column reads that column, a computed field reads what `computed`
 * lists for it (its resolver's needs), `__typename` nothing. Null (read whole rows)
 * when a field is neither, say one added later without an entry.
 */
export function columnsFor<Column extends string>(
  fields: ReadonlySet<string>,
  columns: readonly Column[],
  computed: Readonly<Partial<Record<string, readonly Column[]>>> = {},
): Column[] | null {
  const wanted = new Set<string>();
  for (const field of fields) {
    if (field === '__typename') continue;
    const needs = (columns as readonly string[]).includes(field) ? [field] : computed[field];
    if (!needs) return null;
    for (const column of needs) wanted.add(column);
  }
  // In table order: one selection always gives one list (and one cache key).
  return columns.filter((column) => wanted.has(column));
}
