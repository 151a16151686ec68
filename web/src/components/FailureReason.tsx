// Under a text that did not go out: why, in plain language (from the provider's error code).
export function FailureReason({ message }: { message: { status: string; failureReason?: string | null } }) {
  if (!message.failureReason || (message.status !== 'FAILED' && message.status !== 'UNDELIVERED')) return null;
  return (
    <div className="small warn failure-reason" role="note" data-testid="failure-reason">
      {message.failureReason}
    </div>
  );
}
