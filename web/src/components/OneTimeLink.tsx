// A one-time set-password link to pass on (invitation or reset): shown once, with a copy button.
import { useState, type ReactNode } from 'react';
import { Time } from './ui';

/** The dashboard link for a set-password token. */
export function setPasswordUrl(token: string, origin: string = window.location.origin): string {
  return `${origin}/set-password?token=${encodeURIComponent(token)}`;
}

export function OneTimeLink({
  title,
  url,
  expiresAt,
  onDone,
  testId,
}: {
  title: ReactNode;
  url: string;
  expiresAt: string | null;
  onDone: () => void;
  testId: string;
}) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  // Inside the try: navigator.clipboard is missing outside secure contexts, whatever its type says.
  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <div className="notice notice-warn" role="alert" data-testid={testId}>
      <strong>{title}</strong>
      <div className="secret-row">
        <code data-testid={`${testId}-url`}>{url}</code>
        <button type="button" className="small" onClick={() => void copyLink()}>
          {copied === 'yes' ? 'Copied' : 'Copy link'}
        </button>
        <button type="button" className="small" onClick={onDone}>
          Done
        </button>
      </div>
      {copied === 'no' ? <p className="small">The browser did not allow copying: select the link and copy it.</p> : null}
      {expiresAt ? (
        <p className="small">
          Works once, until <Time iso={expiresAt} />.
        </p>
      ) : null}
    </div>
  );
}
