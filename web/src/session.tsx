// The signed-in staff member, their active organization and role, for every page.
import { createContext, useContext } from 'react';
import type { DashboardViewerFieldsFragment } from '@callsnare/sdk/documents';
import type { Role } from './lib/roles';

export interface Session {
  viewer: DashboardViewerFieldsFragment;
  role: Role | null;
  timezone: string | undefined;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
