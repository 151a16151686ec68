// Credential scopes grouped by resource for the create form. The list itself is the
// shared rules package's, the same one the server enforces.
import { SCOPES, SCOPE_DESCRIPTIONS, type Scope } from '@callsnare/rules';

export { SCOPES, SCOPE_DESCRIPTIONS, type Scope };

export interface ScopeGroup {
  resource: string;
  scopes: Scope[];
}

/** "leads:read", "leads:write" -> { resource: "leads", scopes: [...] }, in the published order. */
export function groupScopes(scopes: readonly string[] = SCOPES): ScopeGroup[] {
  const groups = new Map<string, Scope[]>();
  for (const scope of scopes as Scope[]) {
    const [resource = scope] = scope.split(':');
    groups.set(resource, [...(groups.get(resource) ?? []), scope]);
  }
  return [...groups].map(([resource, list]) => ({ resource, scopes: list }));
}

export function resourceLabel(resource: string): string {
  const label = resource.replace(/_/g, ' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}
