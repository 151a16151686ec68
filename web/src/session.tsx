// The signed-in staff member, their active organization and role, and what the
// server lets them do there (viewer.capabilities), for every page.
import { createContext, useContext } from 'react';
import type { DashboardViewerFieldsFragment, Role } from './generated/graphql';
import type { Can } from './lib/roles';

export interface Session {
  viewer: DashboardViewerFieldsFragment;
  role: Role | null;
  /** `can('updateLead')`: whether the member may call the operation (the server's answer, viewer.capabilities). */
  can: Can;
  timezone: string | undefined;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
