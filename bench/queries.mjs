// The read benchmarks: each GraphQL query beside the same data fetched directly
// with Prisma (what a hand-written endpoint would do), to price the GraphQL layer.

export const LEADS_QUERY = `query BenchLeads {
  leads(first: 50) {
    nodes {
      id phone name status lastActivityAt
      events(first: 5) { nodes { id type createdAt } }
      callbacks { id status dueAt }
    }
    pageInfo { endCursor hasNextPage }
    totalCount
  }
}`;

export const AUDIT_QUERY = `query BenchAudit {
  auditEntries(first: 100) {
    nodes { id action actorLabel createdAt }
    pageInfo { endCursor }
    totalCount
  }
}`;

/** leads(first: 50) with 5 oldest events and all callbacks per lead, plus the total (what a hand-written endpoint would do). */
export async function leadsDirect(prisma, orgId) {
  const [rows, totalCount] = await Promise.all([
    prisma.lead.findMany({
      where: { orgId },
      orderBy: [{ lastActivityAt: 'desc' }, { id: 'desc' }],
      take: 51,
      select: {
        id: true,
        phone: true,
        name: true,
        status: true,
        lastActivityAt: true,
        events: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 5, select: { id: true, type: true, createdAt: true } },
        callbacks: { orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], select: { id: true, status: true, dueAt: true } },
      },
    }),
    // The total as the server keeps it (per-(org, status) counts, migration 0005), so both sides do the same work.
    prisma.leadCount.aggregate({ _sum: { count: true }, where: { orgId } }).then((sum) => sum._sum.count ?? 0),
  ]);
  return { nodes: rows.slice(0, 50), hasNextPage: rows.length > 50, totalCount };
}

/** auditEntries(first: 100), newest first, plus the total. */
export async function auditDirect(prisma, orgId) {
  const [rows, totalCount] = await Promise.all([
    prisma.auditEntry.findMany({
      where: { orgId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 101,
      select: { id: true, action: true, actorLabel: true, createdAt: true },
    }),
    // The chain is numbered 1, 2, 3, … per org: its highest seq is its length.
    prisma.auditEntry.findFirst({ where: { orgId }, orderBy: { seq: 'desc' }, select: { seq: true } }).then((last) => last?.seq ?? 0),
  ]);
  return { nodes: rows.slice(0, 100), hasNextPage: rows.length > 100, totalCount };
}

/** Whether the running schema has a root query field (introspection, like any client). */
export function schemaHasField(introspection, field) {
  const fields = introspection?.data?.__schema?.queryType?.fields ?? [];
  return fields.some((f) => f.name === field);
}

export const INTROSPECT_QUERY = '{ __schema { queryType { fields { name } } } }';
