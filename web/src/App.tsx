// Shell: who is signed in, role-aware navigation, organization switcher, routes.
import { lazy, Suspense, useMemo, useState } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { DashboardViewerDocument, SettingsDocument, SignOutDocument, SwitchOrganizationDocument } from './generated/graphql';
import { SessionContext, type Session } from './session';
import { canFrom, navFor } from './lib/roles';
import { ErrorNotice, Guard, Loading } from './components/ui';
import { SignInPage } from './pages/SignIn';
import { InboxPage } from './pages/Inbox';
import { LeadPage } from './pages/Lead';
import { CallbacksPage } from './pages/Callbacks';
import { SettingsPage } from './pages/Settings';
import { CredentialsPage } from './pages/Credentials';
import { MembersPage } from './pages/Members';
import { AuditPage } from './pages/Audit';
import { WebhookLogsPage } from './pages/WebhookLogs';
import { BillingPage } from './pages/Billing';
import { SetPasswordPage } from './pages/SetPassword';
import { ProfilePage } from './pages/Profile';
import { LiveInboxProvider } from './live/LiveInbox';
import { AlertToasts } from './live/LiveControls';
import { NoticesBanner } from './components/Notices';

// The chart library is only loaded when someone opens the reports.
const ReportsPage = lazy(() => import('./pages/Reports').then((m) => ({ default: m.ReportsPage })));

export function App() {
  const [{ data, error, fetching }, refetchViewer] = useQuery({ query: DashboardViewerDocument, requestPolicy: 'network-only' });
  const reload = () => refetchViewer({ requestPolicy: 'network-only' });

  const unauthenticated = error?.graphQLErrors.some((e) => e.extensions.code === 'UNAUTHENTICATED');
  if (typeof window !== 'undefined' && window.location.pathname === '/set-password') return <SetPasswordPage />;
  if (fetching && !data)
    return (
      <main className="centered">
        <Loading what="Opening CallSnare" />
      </main>
    );
  if (unauthenticated || (!data && !error)) return <SignInPage onSignedIn={reload} />;
  if (!data)
    return (
      <main className="centered">
        <ErrorNotice error={error} title="CallSnare could not load" />
      </main>
    );
  if (data.viewer.actorType !== 'USER') return <SignInPage onSignedIn={reload} />;
  return <SignedIn viewer={data.viewer} />;
}

function SignedIn({ viewer }: { viewer: Session['viewer'] }) {
  const [settings] = useQuery({ query: SettingsDocument });
  const session = useMemo<Session>(
    () => ({ viewer, role: viewer.role ?? null, can: canFrom(viewer.capabilities), timezone: settings.data?.settings.timezone }),
    [viewer, settings.data?.settings.timezone],
  );
  const [menuOpen, setMenuOpen] = useState(false);
  const nav = navFor(session.can);
  // Times are shown in the org's time zone: wait for it (briefly) rather than flash UTC.
  if (settings.fetching && !settings.data)
    return (
      <main className="centered">
        <Loading what="Opening CallSnare" />
      </main>
    );

  return (
    <SessionContext.Provider value={session}>
      <LiveInboxProvider enabled={Boolean(viewer.organization)}>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="topbar">
          <div className="brand">
            <span aria-hidden="true">☎</span> CallSnare
          </div>
          <button className="menu-toggle" aria-expanded={menuOpen} aria-controls="primary-nav" onClick={() => setMenuOpen(!menuOpen)}>
            Menu
          </button>
          <nav id="primary-nav" aria-label="Primary" className={menuOpen ? 'open' : ''} onClick={() => setMenuOpen(false)}>
            {nav.map((item) => (
              <NavLink key={item.to} to={item.to} end={item.to === '/'}>
                {item.label}
              </NavLink>
            ))}
          </nav>
          <AccountMenu viewer={viewer} />
        </header>
        <main id="main" tabIndex={-1}>
          {viewer.organization && session.can('notices') ? <NoticesBanner /> : null}
          {!viewer.organization ? (
            <p className="notice">You are not a member of any organization yet.</p>
          ) : (
            <Routes>
              <Route path="/" element={<InboxPage />} />
              <Route path="/leads/:id" element={<LeadPage />} />
              <Route path="/callbacks" element={<CallbacksPage />} />
              <Route
                path="/reports"
                element={
                  <Suspense fallback={<Loading what="Loading reports" />}>
                    <ReportsPage />
                  </Suspense>
                }
              />
              <Route
                path="/settings"
                element={
                  <Guard operation="settings">
                    <SettingsPage />
                  </Guard>
                }
              />
              <Route
                path="/credentials"
                element={
                  <Guard operation="apiCredentials">
                    <CredentialsPage />
                  </Guard>
                }
              />
              <Route
                path="/members"
                element={
                  <Guard operation="members">
                    <MembersPage />
                  </Guard>
                }
              />
              <Route
                path="/audit"
                element={
                  <Guard operation="auditEntries">
                    <AuditPage />
                  </Guard>
                }
              />
              <Route
                path="/webhooks"
                element={
                  <Guard operation="webhookLogs">
                    <WebhookLogsPage />
                  </Guard>
                }
              />
              <Route
                path="/billing"
                element={
                  <Guard operation="billing">
                    <BillingPage />
                  </Guard>
                }
              />
              <Route path="/profile" element={<ProfilePage />} />
              <Route
                path="*"
                element={
                  <section>
                    <h1>Page not found</h1>
                    <p>
                      There is no page at this address. <NavLink to="/">Back to the inbox</NavLink>.
                    </p>
                  </section>
                }
              />
            </Routes>
          )}
        </main>
        <AlertToasts />
      </LiveInboxProvider>
    </SessionContext.Provider>
  );
}

function AccountMenu({ viewer }: { viewer: Session['viewer'] }) {
  const [, signOut] = useMutation(SignOutDocument);
  const [switching, switchOrganization] = useMutation(SwitchOrganizationDocument);
  const others = viewer.memberships.filter((m) => m.organization.id !== viewer.organization?.id);
  return (
    <div className="account">
      {viewer.memberships.length > 1 ? (
        <label className="org-switcher">
          <span className="visually-hidden">Organization</span>
          <select
            value={viewer.organization?.id ?? ''}
            disabled={switching.fetching}
            onChange={(event) => {
              void switchOrganization({ orgId: event.target.value }).then((result) => {
                if (!result.error) window.location.assign('/');
              });
            }}
          >
            {viewer.organization ? <option value={viewer.organization.id}>{viewer.organization.name}</option> : null}
            {others.map((m) => (
              <option key={m.organization.id} value={m.organization.id}>
                {m.organization.name} ({m.role.toLowerCase()})
              </option>
            ))}
          </select>
        </label>
      ) : (
        <span className="org-name">{viewer.organization?.name}</span>
      )}
      <NavLink className="who" to="/profile" title={`Your profile: name, alert phone, on call (${viewer.user?.email})`}>
        {viewer.user?.name ?? viewer.user?.email} · <span data-testid="role">{viewer.role}</span>
      </NavLink>
      <button
        className="link-button"
        onClick={() => {
          void signOut({}).then(() => window.location.assign('/'));
        }}
      >
        Sign out
      </button>
    </div>
  );
}
