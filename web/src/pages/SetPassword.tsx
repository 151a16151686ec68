// An invitee's one-time link: /set-password?token=… A new account chooses its
// password; someone who already uses CallSnare enters theirs to join.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { SetPasswordDocument } from '@callsnare/sdk/documents';
import { ErrorNotice } from '../components/ui';

export function SetPasswordPage() {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const [password, setPassword] = useState('');
  const [state, setPasswordMutation] = useMutation(SetPasswordDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await setPasswordMutation({ token, password });
  };
  return (
    <main className="centered" id="main">
      <form className="card sign-in" onSubmit={submit}>
        <h1>Accept your invitation</h1>
        {state.data ? (
          <p className="notice notice-ok" role="status">
            You have joined as {state.data.setPassword.email}. <a href="/">Sign in</a>.
          </p>
        ) : (
          <>
            {!token ? <p className="notice notice-error">This link has no token. Ask for a new invitation.</p> : null}
            <label>
              Choose a password (at least 12 characters). Already use CallSnare with this email? Enter your current password.
              <input type="password" autoComplete="new-password" minLength={12} value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
            <ErrorNotice error={state.error} />
            <button className="primary" type="submit" disabled={!token || password.length < 12 || state.fetching}>
              Join
            </button>
          </>
        )}
      </form>
    </main>
  );
}
