// A one-time set-password link: /set-password?token=… The page first says what the
// link is for (setPasswordTarget): which account (email), which shop, an invitation
// or a password reset, and until when; a used or expired link says so before
// anything is typed.
import { useState, type SubmitEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { SetPasswordDocument, SetPasswordTargetDocument, type SetPasswordTargetQuery } from '../generated/graphql';
import { ErrorNotice, Loading, useDocumentTitle } from '../components/ui';
import { formatAbsolute, formatRelative } from '../lib/time';

type Target = NonNullable<SetPasswordTargetQuery['setPasswordTarget']>;

export function SetPasswordPage() {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const [target] = useQuery({ query: SetPasswordTargetDocument, variables: { token }, pause: !token, requestPolicy: 'network-only' });
  useDocumentTitle('Set your password');
  let body;
  if (!token) body = <Unusable>This link is incomplete (it has no token). Copy the whole link you were sent, or ask for a new one.</Unusable>;
  else if (target.fetching && !target.data) body = <Loading what="Checking the link" />;
  else if (target.error) body = <ErrorNotice error={target.error} title="The link could not be checked" />;
  else if (!target.data?.setPasswordTarget)
    body = (
      <Unusable>
        This link has expired or was already used. Ask an owner or admin of your shop for a new one (Members → Reset password, or a new invitation).
      </Unusable>
    );
  else body = <SetPasswordForm token={token} target={target.data.setPasswordTarget} />;
  return (
    <main className="centered" id="main">
      <div className="card sign-in" data-testid="set-password">
        {body}
      </div>
    </main>
  );
}

function Unusable({ children }: { children: string }) {
  return (
    <>
      <h1>This link cannot be used</h1>
      <p className="notice notice-error" role="alert" data-testid="set-password-unusable">
        {children}
      </p>
      <a href="/">Go to sign-in</a>
    </>
  );
}

function SetPasswordForm({ token, target }: { token: string; target: Target }) {
  const [password, setPassword] = useState('');
  const [show, setShow] = useState(false);
  const [state, setPasswordMutation] = useMutation(SetPasswordDocument);
  const invitation = target.purpose === 'INVITATION';
  const shop = target.organizationName;
  // The outcome shows from the mutation state (state.data, state.error).
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void setPasswordMutation({ token, password });
  };
  if (state.data) {
    return (
      <>
        <h1>{invitation ? 'You have joined' : 'Password changed'}</h1>
        <p className="notice notice-ok" role="status" data-testid="set-password-done">
          {invitation
            ? `${state.data.setPassword.email} is now a member${shop ? ` of ${shop}` : ''}.`
            : `The new password for ${state.data.setPassword.email} is set; every earlier sign-in has ended.`}{' '}
          <a href="/">Sign in</a>.
        </p>
      </>
    );
  }
  return (
    <form onSubmit={submit} className="set-password-form">
      <h1>{invitation ? (shop ? `Join ${shop} on CallSnare` : 'Accept your invitation') : 'Choose a new password'}</h1>
      <dl className="facts" data-testid="set-password-target">
        <dt>Account</dt>
        <dd data-testid="set-password-email">{target.email}</dd>
        <dt>Shop</dt>
        <dd data-testid="set-password-shop">{shop ?? 'every shop this account belongs to'}</dd>
        <dt>Link</dt>
        <dd data-testid="set-password-purpose">
          {invitation ? 'an invitation' : 'a password reset'}, works once, until {formatAbsolute(target.expiresAt, undefined)} (
          {formatRelative(target.expiresAt)})
        </dd>
      </dl>
      {/* For password managers: which account this password belongs to. */}
      <input type="email" name="username" autoComplete="username" value={target.email} readOnly hidden />
      <label>
        {invitation
          ? 'Choose a password (at least 12 characters). Already use CallSnare with this email? Enter your current password.'
          : 'New password (at least 12 characters). Signing in anywhere with the old one stops.'}
        <input
          type={show ? 'text' : 'password'}
          autoComplete="new-password"
          minLength={12}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoFocus
        />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={show} onChange={(e) => setShow(e.target.checked)} /> Show the password
      </label>
      <ErrorNotice error={state.error} title="Not set" />
      <button className="primary" type="submit" disabled={password.length < 12 || state.fetching}>
        {invitation ? 'Join' : 'Set the new password'}
      </button>
    </form>
  );
}
