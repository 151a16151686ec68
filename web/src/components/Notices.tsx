// The banner of standing notices (OWNER/ADMIN), above every page until a manager dismisses it.
import { useCallback } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { DashboardNoticesDocument, DismissNoticeDocument, type NoticeKind } from '../generated/graphql';
import { ErrorNotice, Time, usePolling } from './ui';

const WHERE_TO_ACT: Record<NoticeKind, { to: string; label: string }> = {
  CARRIER_FILTERING: { to: '/settings', label: 'Tracking lines' },
  WEBHOOK_ENDPOINT_DISABLED: { to: '/settings', label: 'Settings' },
};

export function NoticesBanner() {
  const [{ data }, refetch] = useQuery({ query: DashboardNoticesDocument, requestPolicy: 'cache-and-network' });
  const [dismissing, dismiss] = useMutation(DismissNoticeDocument);
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  usePolling(reload, 60_000);
  const notices = data?.notices ?? [];
  if (notices.length === 0 && !dismissing.error) return null;
  return (
    <section aria-label="Notices" className="notices" data-testid="notices">
      <ErrorNotice error={dismissing.error} title="Could not dismiss" />
      {notices.map((notice) => (
        <div key={notice.id} className="notice notice-warn notice-row" role="status">
          <span>
            {notice.message}{' '}
            <span className="small">
              (<Time iso={notice.createdAt} />, <Link to={WHERE_TO_ACT[notice.kind].to}>{WHERE_TO_ACT[notice.kind].label}</Link>)
            </span>
          </span>
          <button type="button" disabled={dismissing.fetching} onClick={() => void dismiss({ id: notice.id }).then((result) => !result.error && reload())}>
            Dismiss
          </button>
        </div>
      ))}
    </section>
  );
}
