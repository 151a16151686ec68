// Roles and scopes live in the shared rules package (packages/rules), so the dashboard
// reads the same list; the server's Role enum must match ROLES exactly.
import type { RoleName } from '@callsnare/rules';
import type { Role } from '../generated/prisma/enums';

export { isScope, ROLES, ROLE_DESCRIPTIONS, SCOPES, SCOPE_DESCRIPTIONS, scopeProblems, type Scope } from '@callsnare/rules';

// Compile-time: the shared list and the database enum name the same roles.
const sameRoles: [RoleName, Role] extends [Role, RoleName] ? true : never = true;
// eslint-disable-next-line @typescript-eslint/no-unused-expressions -- reads the check so noUnusedLocals keeps it; it does its work at compile time
sameRoles;
