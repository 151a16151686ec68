// API credentials: create (secret shown once), list (a rotated secret under its replacement), rotate with grace, revoke with confirmation.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ApiCredentialsDocument, CreateApiCredentialDocument, RevokeApiCredentialDocument, RotateApiCredentialDocument } from '../generated/graphql';
import { Badge, Empty, ErrorNotice, Loading, PageTitle, Time } from '../components/ui';
import { groupScopes, resourceLabel, SCOPE_DESCRIPTIONS, type Scope } from '../lib/scopes';
import { groupRotations } from '../lib/credentials';

export function CredentialsPage() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: ApiCredentialsDocument, variables: { first: 100 } });
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section aria-labelledby="cred-title">
      <PageTitle>API credentials</PageTitle>
      <p className="muted">
        Org-scoped keys for partners and scripts. Send as <code>Authorization: Bearer …</code>. Credentials can never manage credentials or staff.
      </p>
      {secret ? <SecretOnce {...secret} onDismiss={() => setSecret(null)} /> : null}
      <CreateCredential
        onCreated={(name, value) => {
          setSecret({ name, secret: value });
          refresh();
        }}
      />
      <ErrorNotice error={error} />
      {fetching && !data ? <Loading what="Loading credentials" /> : null}
      {data && data.apiCredentials.nodes.length === 0 ? <Empty>No credentials yet.</Empty> : null}
      {data && data.apiCredentials.nodes.length > 0 ? (
        <table className="list" data-testid="credential-list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Scopes</th>
              <th scope="col">Status</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          {groupRotations(data.apiCredentials.nodes).map(({ current: c, replaced }) => (
            <tbody key={c.id} className="credential-group">
              <tr>
                <td>{c.name}</td>
                <td>
                  <code>{c.prefix}…</code>
                </td>
                <td className="small">{c.scopes.join(', ')}</td>
                <td>
                  <Badge value={c.status} />
                  {c.graceUntil && c.status === 'GRACE_PERIOD' ? (
                    <div className="small">
                      until <Time iso={c.graceUntil} />
                    </div>
                  ) : null}
                </td>
                <td>{c.lastUsedAt ? <Time iso={c.lastUsedAt} /> : <span className="muted">never</span>}</td>
                <td>{c.expiresAt ? <Time iso={c.expiresAt} /> : <span className="muted">never</span>}</td>
                <td>
                  {c.status === 'ACTIVE' ? (
                    <CredentialActions
                      id={c.id}
                      name={c.name}
                      onIssued={(value) => {
                        setSecret({ name: c.name, secret: value });
                        refresh();
                      }}
                      onChanged={refresh}
                    />
                  ) : null}
                </td>
              </tr>
              {replaced.map(({ credential: old, replacedBy }) => (
                <tr key={old.id} className="rotated-row" data-testid="rotated-credential">
                  <td colSpan={3}>
                    <span aria-hidden="true">↳ </span>Previous secret <code>{old.prefix}…</code>, replaced by <code>{replacedBy.prefix}…</code>
                    {old.status === 'GRACE_PERIOD' && old.graceUntil ? (
                      <>
                        {' '}
                        — still works until <Time iso={old.graceUntil} />
                      </>
                    ) : null}
                    {old.status === 'REPLACED' ? (
                      <>
                        {' '}
                        — stopped working
                        {old.graceUntil ? (
                          <>
                            {' '}
                            <Time iso={old.graceUntil} />
                          </>
                        ) : null}
                      </>
                    ) : null}
                  </td>
                  <td>
                    <Badge value={old.status} />
                  </td>
                  <td>{old.lastUsedAt ? <Time iso={old.lastUsedAt} /> : <span className="muted">never</span>}</td>
                  <td colSpan={2}>
                    {old.status === 'GRACE_PERIOD' ? <RevokeNow id={old.id} label={`the previous secret of "${old.name}"`} onChanged={refresh} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      ) : null}
    </section>
  );
}

function SecretOnce({ name, secret, onDismiss }: { name: string; secret: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  // Inside the try: navigator.clipboard is missing outside secure contexts, whatever its type says.
  const copySecret = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="notice notice-warn secret" role="alert" data-testid="secret-once">
      <strong>Copy the secret for "{name}" now. It is shown only this once; CallSnare keeps only its hash.</strong>
      <div className="secret-row">
        <code data-testid="secret-value">{secret}</code>
        <button type="button" className="small" onClick={() => void copySecret()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="small" onClick={onDismiss}>
          I stored it
        </button>
      </div>
    </div>
  );
}

function CreateCredential({ onCreated }: { onCreated: (name: string, secret: string) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Set<Scope>>(new Set());
  const [expiresInDays, setExpiresInDays] = useState('90');
  const [state, create] = useMutation(CreateApiCredentialDocument);
  const toggle = (scope: Scope) =>
    setScopes((current) => {
      const next = new Set(current);
      if (next.has(scope)) next.delete(scope);
      else next.add(scope);
      return next;
    });
  return (
    <form
      className="card"
      aria-labelledby="create-cred-title"
      onSubmit={(event) => {
        event.preventDefault();
        const days = Number(expiresInDays);
        const expiresAt = days > 0 ? new Date(Date.now() + days * 86400000).toISOString() : null;
        void create({ input: { name: name.trim(), scopes: [...scopes], expiresAt } }).then((result) => {
          if (result.data) {
            onCreated(result.data.createApiCredential.credential.name, result.data.createApiCredential.secret);
            setName('');
            setScopes(new Set());
          }
        });
      }}
    >
      <h2 id="create-cred-title">New credential</h2>
      <div className="row">
        <label className="field">
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder="Zapier sync" required />
        </label>
        <label className="field">
          Expires
          <select value={expiresInDays} onChange={(e) => setExpiresInDays(e.target.value)}>
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="0">never</option>
          </select>
        </label>
      </div>
      <div className="scope-groups">
        {groupScopes().map((group) => (
          <fieldset key={group.resource} className="scope-group">
            <legend>{resourceLabel(group.resource)}</legend>
            {group.scopes.map((scope) => (
              <label key={scope} className="checkbox" title={SCOPE_DESCRIPTIONS[scope]}>
                <input type="checkbox" checked={scopes.has(scope)} onChange={() => toggle(scope)} /> {scope}
              </label>
            ))}
          </fieldset>
        ))}
      </div>
      <button type="submit" className="primary" disabled={!name.trim() || scopes.size === 0 || state.fetching}>
        Create credential
      </button>
      <ErrorNotice error={state.error} title="Not created" />
    </form>
  );
}

/** Ends a rotation's grace period early: the old secret stops now. */
function RevokeNow({ id, label, onChanged }: { id: string; label: string; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [revocation, revoke] = useMutation(RevokeApiCredentialDocument);
  if (!confirming)
    return (
      <button className="small danger" onClick={() => setConfirming(true)}>
        Stop it now
      </button>
    );
  return (
    <div className="confirm" role="alertdialog" aria-label={`Revoke ${label}?`}>
      <span>Revoke {label}? It stops working immediately.</span>
      <button
        className="small danger"
        disabled={revocation.fetching}
        onClick={() => {
          void revoke({ id }).then((r) => {
            if (!r.error) {
              setConfirming(false);
              onChanged();
            }
          });
        }}
      >
        Yes, revoke
      </button>
      <button className="small" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      <ErrorNotice error={revocation.error} />
    </div>
  );
}

function CredentialActions({ id, name, onIssued, onChanged }: { id: string; name: string; onIssued: (secret: string) => void; onChanged: () => void }) {
  const [mode, setMode] = useState<'idle' | 'rotate' | 'revoke'>('idle');
  const [grace, setGrace] = useState('3600');
  const [rotation, rotate] = useMutation(RotateApiCredentialDocument);
  const [revocation, revoke] = useMutation(RevokeApiCredentialDocument);
  if (mode === 'rotate') {
    return (
      <div className="confirm">
        <label>
          Old secret keeps working for
          <select value={grace} onChange={(e) => setGrace(e.target.value)}>
            <option value="0">no time (stop now)</option>
            <option value="3600">1 hour</option>
            <option value="21600">6 hours</option>
            <option value="86400">24 hours</option>
          </select>
        </label>
        <button
          className="small primary"
          disabled={rotation.fetching}
          onClick={() => {
            void rotate({ id, graceSeconds: Number(grace) }).then((r) => {
              if (r.data) {
                setMode('idle');
                onIssued(r.data.rotateApiCredential.secret);
              }
            });
          }}
        >
          Rotate
        </button>
        <button className="small" onClick={() => setMode('idle')}>
          Cancel
        </button>
        <ErrorNotice error={rotation.error} />
      </div>
    );
  }
  if (mode === 'revoke') {
    return (
      <div className="confirm" role="alertdialog" aria-label={`Revoke ${name}?`}>
        <span>Revoke "{name}"? It stops working immediately.</span>
        <button
          className="small danger"
          disabled={revocation.fetching}
          onClick={() => {
            void revoke({ id }).then((r) => {
              if (!r.error) {
                setMode('idle');
                onChanged();
              }
            });
          }}
        >
          Yes, revoke
        </button>
        <button className="small" onClick={() => setMode('idle')}>
          Cancel
        </button>
        <ErrorNotice error={revocation.error} />
      </div>
    );
  }
  return (
    <div className="button-row">
      <button className="small" onClick={() => setMode('rotate')}>
        Rotate
      </button>
      <button className="small danger" onClick={() => setMode('revoke')}>
        Revoke
      </button>
    </div>
  );
}
