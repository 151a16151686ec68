import { useEffect, useState, type SubmitEvent } from 'react';
import { useMutation } from 'urql';
import { SignInDocument } from '../generated/graphql';
import { describeError } from '../lib/errors';

export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [state, signIn] = useMutation(SignInDocument);
  const [message, setMessage] = useState<string | null>(null);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [, tick] = useState(0);

  useEffect(() => {
    document.title = 'Sign in · CallSnare';
  }, []);
  useEffect(() => {
    if (!waitUntil) return;
    const timer = setInterval(() => {
      if (Date.now() >= waitUntil) setWaitUntil(null);
      tick((n) => n + 1);
    }, 1000);
    return () => clearInterval(timer);
  }, [waitUntil]);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    setMessage(null);
    void signIn({ email: email.trim(), password }).then((result) => {
      if (result.error) {
        const view = describeError(result.error);
        if (view?.code === 'UNAUTHENTICATED') setMessage('That email and password do not match an account.');
        else setMessage(view?.message ?? 'Sign-in failed.');
        if (view?.retryAfterSeconds) setWaitUntil(Date.now() + view.retryAfterSeconds * 1000);
        return;
      }
      onSignedIn();
    });
  };
  const secondsLeft = waitUntil ? Math.max(0, Math.ceil((waitUntil - Date.now()) / 1000)) : 0;

  return (
    <main className="centered" id="main">
      <form className="card sign-in" onSubmit={submit} aria-labelledby="signin-title" noValidate>
        <h1 id="signin-title">Sign in to CallSnare</h1>
        <p className="muted">Keep working. We'll handle the callback.</p>
        <label>
          Email
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {message ? (
          <div className="notice notice-error" role="alert">
            {message}
            {secondsLeft > 0 ? <> ({secondsLeft} s left)</> : null}
          </div>
        ) : null}
        <button type="submit" className="primary" disabled={state.fetching || secondsLeft > 0 || !email || !password}>
          {state.fetching ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
