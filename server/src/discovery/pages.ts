// The public documentation pages. Prose lives in docs/public/*.md; the actions
// and permissions pages are generated from the permission table. Everything is
// markdown first (also served as /docs/<page>.md for machines), HTML by marked.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { repoRoot } from '../common/paths';
import { ROLES, ROLE_DESCRIPTIONS, SCOPES, SCOPE_DESCRIPTIONS } from '../access/scopes';
import { OPERATION_STATUSES, PERMISSIONS, credentialsMayCall, type OperationPermission, type OperationStatus } from '../access/permissions';
import { PLANNED_CAPABILITIES, SHIPPED_CAPABILITIES, type PlannedCapability } from './roadmap';

export interface DocPage {
  slug: string;
  title: string;
  summary: string;
  /** Where the markdown comes from. */
  source: 'file' | 'generated';
}

export const DOC_PAGES: readonly DocPage[] = [
  {
    slug: 'security',
    title: 'Security',
    summary:
      'How CallSnare protects shops, callers and partners: public discovery, explicit identities, provider traffic treated as real, evidence for every outcome.',
    source: 'file',
  },
  {
    slug: 'permissions',
    title: 'Permissions',
    summary: 'Roles, credential scopes, and which of them each operation needs. Generated from the permission table the API enforces.',
    source: 'generated',
  },
  {
    slug: 'actions',
    title: 'Actions',
    summary: 'Every API operation with its status (protected, internal, public, planned), roles, scope and audit trail. Also at /actions.json.',
    source: 'generated',
  },
  {
    slug: 'webhooks',
    title: 'Webhooks',
    summary:
      'What Twilio and Stripe send CallSnare, how deliveries are verified, retried and deduplicated; and the outbound webhooks CallSnare sends you: events, signatures, retries, rotation.',
    source: 'file',
  },
  {
    slug: 'staff',
    title: 'Staff accounts and alerts',
    summary:
      "Inviting staff, names, password resets (and the operator's reset), and who is texted about missed calls and replies: business hours, on call, opt-outs.",
    source: 'file',
  },
  {
    slug: 'agent-access',
    title: 'Agent access',
    summary: 'How an AI agent or partner integration gets a credential, which scopes to ask for, and how to call the API.',
    source: 'file',
  },
];

export function docPage(slug: string): DocPage | undefined {
  return DOC_PAGES.find((page) => page.slug === slug);
}

/** The page's markdown; null when a file-backed page has no file yet (a placeholder is shown). */
export function pageMarkdown(page: DocPage, config: Pick<Config, 'publicBaseUrl'>): string | null {
  if (page.slug === 'actions') return actionsMarkdown();
  if (page.slug === 'permissions') return permissionsMarkdown();
  const file = path.join(repoRoot(), 'docs', 'public', `${page.slug}.md`);
  try {
    return fs.readFileSync(file, 'utf8').replaceAll('{{baseUrl}}', config.publicBaseUrl);
  } catch {
    return null;
  }
}

export function placeholderMarkdown(page: DocPage): string {
  return `# ${page.title}\n\n${page.summary}\n\nThis page is being written. Until then, the [action catalog](/actions.json) and the [GraphQL schema](/schema.graphql) describe the API.\n`;
}

// ── generated pages ──

const STATUS_ORDER: OperationStatus[] = ['protected', 'internal', 'public', 'planned'];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function whoCanCall(row: OperationPermission): string {
  if (row.status === 'public') return 'anyone';
  const staff = row.roles === 'any' ? 'any signed-in staff user' : row.roles.join(', ');
  if (!credentialsMayCall(row)) return `${staff} (staff session only)`;
  return `${staff}; credentials ${row.scope ? `with \`${row.scope}\`` : 'of the organization'}`;
}

export function actionsMarkdown(): string {
  const lines = [
    '# Actions',
    '',
    'Every operation of the CallSnare GraphQL API, generated from the permission table the server enforces. ' +
      'The same list is machine-readable at [/actions.json](/actions.json); types and arguments are in [/schema.graphql](/schema.graphql).',
    '',
  ];
  for (const status of STATUS_ORDER) {
    const rows = PERMISSIONS.filter((row) => row.status === status);
    // The Planned section stays, saying so when nothing is planned.
    if (rows.length === 0 && status !== 'planned') continue;
    lines.push(`## ${status.charAt(0).toUpperCase()}${status.slice(1)}`, '', OPERATION_STATUSES[status], '');
    lines.push('| operation | kind | who can call it | audit | what it does |', '| --- | --- | --- | --- | --- |');
    for (const row of rows) {
      const audit = row.audit.length ? row.audit.map((action) => `\`${action}\``).join(', ') : '–';
      lines.push(`| \`${row.name}\` | ${row.kind} | ${cell(whoCanCall(row))} | ${audit} | ${cell(row.description)} |`);
    }
    if (status === 'protected') for (const item of SHIPPED_CAPABILITIES) lines.push(plannedLine(item));
    if (status === 'planned') for (const item of PLANNED_CAPABILITIES) lines.push(plannedLine(item));
    if (status === 'planned' && rows.length === 0 && PLANNED_CAPABILITIES.length === 0) lines.push('| – | – | – | – | Nothing is planned right now. |');
    lines.push('');
  }
  return lines.join('\n');
}

function plannedLine(item: PlannedCapability): string {
  const who = item.roles.length ? `${item.roles.join(', ')}; credentials with \`${item.scope}\`` : 'as the operation it is used with';
  return `| \`${item.name}\` | ${item.kind} | ${cell(who)} | – | ${cell(item.description)} |`;
}

export function permissionsMarkdown(): string {
  const yes = (row: OperationPermission, role: string) =>
    row.status === 'public' ? 'anyone' : row.roles === 'any' || row.roles.includes(role as never) ? 'yes' : '–';
  const credential = (row: OperationPermission) =>
    row.status === 'public' ? 'anyone' : !credentialsMayCall(row) ? 'never' : row.scope ? `\`${row.scope}\`` : 'any';
  const lines = [
    '# Permissions',
    '',
    'Every call to the API is made by exactly one identity: a **staff session** (signed in to the dashboard, acting with ' +
      'their role in the active organization) or an **API credential** (a Bearer secret bound to one organization, with ' +
      'the scopes chosen when it was created). Nothing else is an identity: no IP allow-lists, no shared passwords.',
    '',
    'This page is generated from the permission table the server enforces; anything not in it is denied. ' +
      'A caller without an identity gets `UNAUTHENTICATED`; one without the role or scope gets `FORBIDDEN`, with ' +
      '`extensions.requiredScope` (credentials), `extensions.requiredRoles` (staff) or `extensions.requiredIdentity: "session"` ' +
      '(operations no credential may call). Records of another organization answer `NOT_FOUND`.',
    '',
    '## Roles',
    '',
    '| role | for |',
    '| --- | --- |',
    ...ROLES.map((role) => `| \`${role}\` | ${cell(ROLE_DESCRIPTIONS[role])} |`),
    '',
    'An ADMIN cannot change or remove an OWNER, nor make anyone OWNER; an organization always keeps at least one OWNER.',
    '',
    '## Scopes',
    '',
    'A credential holds only scopes from this list, fixed at creation. Credentials can never manage credentials or members, whatever their scopes.',
    '',
    '| scope | allows | operations |',
    '| --- | --- | --- |',
    ...SCOPES.map((scope) => {
      const ops = PERMISSIONS.filter((row) => row.scope === scope).map((row) => `\`${row.name}\``);
      return `| \`${scope}\` | ${cell(SCOPE_DESCRIPTIONS[scope])} | ${ops.join(', ')} |`;
    }),
    '',
    '## Who can call what',
    '',
    `| operation | status | ${ROLES.join(' | ')} | credential |`,
    `| --- | --- | ${ROLES.map(() => '---').join(' | ')} | --- |`,
    ...PERMISSIONS.map((row) => `| \`${row.name}\` | ${row.status} | ${ROLES.map((role) => yes(row, role)).join(' | ')} | ${credential(row)} |`),
    '',
    '## Statuses',
    '',
    ...STATUS_ORDER.map((status) => `- **${status}**: ${OPERATION_STATUSES[status]}`),
    '',
  ];
  return lines.join('\n');
}

// ── HTML ──

type Marked = { parse(markdown: string, options: { async: false; gfm: boolean }): string };
let markedModule: Promise<Marked> | null = null;

/** marked is an ES module; the server is CommonJS, so it is loaded with import() once. */
async function loadMarked(): Promise<Marked> {
  markedModule ??= import('marked').then((module) => module.marked as unknown as Marked);
  return markedModule;
}

export async function renderMarkdown(markdown: string): Promise<string> {
  return (await loadMarked()).parse(markdown, { async: false, gfm: true });
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** The docs' only styling, inline; the docs CSP allows exactly this text by its hash (discovery.routes.ts). */
export const DOCS_STYLESHEET = `
body{font:16px/1.55 system-ui,-apple-system,Segoe UI,sans-serif;color:#1d2430;max-width:60rem;margin:0 auto;padding:1rem 1.25rem 3rem}
header{border-bottom:1px solid #dde3ea;padding-bottom:.6rem;margin-bottom:1.5rem}
header strong a{color:#0b5cab;text-decoration:none}
nav{font-size:.95rem;margin-top:.3rem}
a{color:#0b5cab}
code{background:#f2f5f8;padding:.1em .3em;border-radius:3px;font-size:.92em}
pre{background:#f2f5f8;padding:.8rem 1rem;overflow-x:auto;border-radius:4px}
pre code{background:none;padding:0}
table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.93rem}
th,td{border:1px solid #dde3ea;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
footer{margin-top:3rem;font-size:.9rem;color:#5a6472}
`;

export function htmlPage(title: string, bodyHtml: string, markdownHref: string | null): string {
  const nav = DOC_PAGES.map((page) => `<a href="/docs/${page.slug}">${escapeHtml(page.title)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · CallSnare docs</title>
${markdownHref ? `<link rel="alternate" type="text/markdown" href="${markdownHref}">` : ''}
<style>${DOCS_STYLESHEET}</style>
</head>
<body>
<header><strong><a href="/docs">CallSnare docs</a></strong><nav>${nav}</nav></header>
<main>
${bodyHtml}
</main>
<footer>For machines: <a href="/llms.txt">/llms.txt</a> · <a href="/actions.json">/actions.json</a> · <a href="/schema.graphql">/schema.graphql</a>${
    markdownHref ? ` · <a href="${markdownHref}">this page as markdown</a>` : ''
  }</footer>
</body>
</html>
`;
}

export function indexMarkdown(): string {
  return [
    '# CallSnare documentation',
    '',
    'CallSnare recovers missed calls for residential HVAC shops: when nobody answers, the caller gets a text back within ' +
      "seconds, a lead opens and a callback lands on the staff queue. Keep working. We'll handle the callback.",
    '',
    'Everything needed to integrate is public and needs no sign-in: these pages, the [action catalog](/actions.json), ' +
      'the [GraphQL schema](/schema.graphql) and [llms.txt](/llms.txt). Every real action needs an explicit identity.',
    '',
    ...DOC_PAGES.map((page) => `- [${page.title}](/docs/${page.slug}): ${page.summary}`),
    '',
  ].join('\n');
}

export function llmsTxt(config: Pick<Config, 'publicBaseUrl'>): string {
  const base = config.publicBaseUrl;
  return [
    '# CallSnare',
    '',
    '> Missed-call recovery for residential HVAC shops. A missed call becomes a lead, an immediate text-back and a callback ' +
      'on the staff queue. Staff use a web dashboard; partners and agents use a GraphQL API with org-scoped, scoped Bearer credentials.',
    '',
    'Discovery is public; every action needs an explicit identity (a staff session or an API credential created by an ' +
      'owner or admin). Start with agent-access to learn how to get a credential and call the API.',
    '',
    '## Docs',
    '',
    ...DOC_PAGES.map((page) => `- [${page.title}](${base}/docs/${page.slug}.md): ${page.summary}`),
    '',
    '## API',
    '',
    `- [Action catalog](${base}/actions.json): every operation with its status, roles, scope and audit actions (JSON)`,
    `- [GraphQL schema](${base}/schema.graphql): the SDL of ${base}/graphql`,
    '',
  ].join('\n');
}
