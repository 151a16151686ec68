import { liveUrl, nextLiveStatus, reconnectDelayMs, RECONNECT_MAX_MS } from '../src/live/reconnect';
import { alertFor } from '../src/live/alerts';
import { preview } from '../src/lib/inbox';
import { coalesce, type Timers } from '../src/live/coalesce';
import { badgedTitle, titleBadge } from '../src/lib/title-badge';
import { attentionCount } from '../src/lib/attention';
import type { LeadStatus } from '../src/generated/graphql';

describe('the live-updates socket', () => {
  it("connects to the page's own origin, wss behind https", () => {
    expect(liveUrl({ protocol: 'https:', host: 'shop.callsnare.app' })).toBe('wss://shop.callsnare.app/graphql');
    expect(liveUrl({ protocol: 'http:', host: '127.0.0.1:4000' })).toBe('ws://127.0.0.1:4000/graphql');
  });

  it('backs off exponentially with jitter, between half and all of the step, capped at 30 s', () => {
    expect(reconnectDelayMs(0, () => 0)).toBe(500);
    expect(reconnectDelayMs(0, () => 1)).toBe(1000);
    expect(reconnectDelayMs(3, () => 0)).toBe(4000);
    expect(reconnectDelayMs(3, () => 1)).toBe(8000);
    expect(reconnectDelayMs(20, () => 1)).toBe(RECONNECT_MAX_MS);
    expect(reconnectDelayMs(20, () => 0)).toBe(RECONNECT_MAX_MS / 2);
  });

  it('two dashboards retrying the same step wait different times', () => {
    const values = [0.1, 0.9];
    const delays = values.map((v) => reconnectDelayMs(4, () => v));
    expect(new Set(delays).size).toBe(2);
  });

  it('says "reconnecting" once a socket dropped or a first attempt failed, "live" when connected', () => {
    let status = nextLiveStatus('connecting', { type: 'connecting', isRetry: false });
    expect(status).toBe('connecting');
    status = nextLiveStatus(status, { type: 'connected' });
    expect(status).toBe('live');
    status = nextLiveStatus(status, { type: 'closed' });
    expect(status).toBe('reconnecting');
    status = nextLiveStatus(status, { type: 'connecting', isRetry: true });
    expect(status).toBe('reconnecting');
    expect(nextLiveStatus('connecting', { type: 'closed' })).toBe('reconnecting');
    expect(nextLiveStatus('connecting', { type: 'connecting', isRetry: true })).toBe('reconnecting');
    expect(nextLiveStatus('reconnecting', { type: 'connected' })).toBe('live');
  });
});

describe('alerts for live inbox updates', () => {
  const lead = { id: 'l1', phone: '+15551234567', name: null, lastInboundText: 'AC stopped cooling,\n can someone come out today?' };

  it('a missed call and a reply alert; other updates only refresh', () => {
    expect(alertFor('MISSED_CALL', lead)).toEqual({
      title: 'Missed call from (555) 123-4567',
      body: 'Reply or call back from the CallSnare inbox.',
      tag: 'lead-l1',
      leadId: 'l1',
    });
    expect(alertFor('REPLY_RECEIVED', { ...lead, name: 'Jordan' })).toEqual({
      title: 'Reply from Jordan · (555) 123-4567',
      body: 'AC stopped cooling, can someone come out today?',
      tag: 'lead-l1',
      leadId: 'l1',
    });
    for (const kind of ['CALLBACK_DUE', 'CALLBACK_OVERDUE', 'LEAD_CHANGED'] as const) expect(alertFor(kind, lead)).toBeNull();
  });

  it('a reply without text still says the caller texted back', () => {
    expect(alertFor('REPLY_RECEIVED', { ...lead, lastInboundText: '  ' })?.body).toBe('The caller texted back.');
  });

  it('previews a long message on one line, cut at a word', () => {
    const long = 'word '.repeat(60);
    const shown = preview(long, 40)!;
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.length).toBeLessThanOrEqual(40);
    expect(shown).not.toMatch(/wor…$/);
    expect(preview(null)).toBeNull();
  });
});

describe('a burst of updates', () => {
  function manualTimers() {
    const pending = new Map<number, () => void>();
    let next = 1;
    const timers: Timers = {
      setTimeout: (fn) => {
        pending.set(next, fn);
        return next++;
      },
      clearTimeout: (handle) => pending.delete(handle as number),
    };
    const elapse = () => {
      const due = [...pending.entries()];
      pending.clear();
      for (const [, fn] of due) fn();
    };
    return { timers, elapse, pendingCount: () => pending.size };
  }

  it('runs the first update at once and folds the rest of the window into one more run', () => {
    const runs: number[][] = [];
    const { timers, elapse } = manualTimers();
    const c = coalesce<number>((items) => runs.push(items), 500, timers);
    c.push(1);
    expect(runs).toEqual([[1]]);
    for (let i = 2; i <= 33; i++) c.push(i);
    expect(runs).toHaveLength(1);
    elapse();
    expect(runs).toHaveLength(2);
    expect(runs[1]).toHaveLength(32);
    elapse(); // a quiet window: nothing more to run
    expect(runs).toHaveLength(2);
    c.push(99);
    expect(runs[2]).toEqual([99]);
  });

  it('cancel drops what is pending', () => {
    const runs: number[][] = [];
    const { timers, elapse, pendingCount } = manualTimers();
    const c = coalesce<number>((items) => runs.push(items), 500, timers);
    c.push(1);
    c.push(2);
    c.cancel();
    expect(pendingCount()).toBe(0);
    elapse();
    expect(runs).toEqual([[1]]);
  });
});

describe('the tab title badge', () => {
  it('prefixes the count, capped at 99+', () => {
    expect(badgedTitle('Inbox · CallSnare', 3)).toBe('(3) Inbox · CallSnare');
    expect(badgedTitle('Inbox · CallSnare', 0)).toBe('Inbox · CallSnare');
    expect(badgedTitle('Inbox · CallSnare', 250)).toBe('(99+) Inbox · CallSnare');
  });

  it('follows the count and every title a page sets, and gives the page its title back', () => {
    const tab = { title: 'Inbox · CallSnare' };
    const badge = titleBadge(tab, 3);
    expect(tab.title).toBe('(3) Inbox · CallSnare');
    badge.setCount(4);
    expect(tab.title).toBe('(4) Inbox · CallSnare');
    tab.title = 'Callbacks · CallSnare'; // the page changed its title
    badge.sync();
    expect(tab.title).toBe('(4) Callbacks · CallSnare');
    badge.setCount(0);
    expect(tab.title).toBe('Callbacks · CallSnare');
    badge.setCount(1);
    badge.release();
    expect(tab.title).toBe('Callbacks · CallSnare');
  });

  it('never mistakes a phone number in a page title for a badge', () => {
    const tab = { title: '(555) 123-4567 · CallSnare' };
    const badge = titleBadge(tab, 0);
    expect(tab.title).toBe('(555) 123-4567 · CallSnare');
    badge.setCount(2);
    expect(tab.title).toBe('(2) (555) 123-4567 · CallSnare');
    badge.setCount(0);
    expect(tab.title).toBe('(555) 123-4567 · CallSnare');
  });
});

describe("what needs this staff member's attention", () => {
  const lead = (id: string, status: LeadStatus, needsReply: boolean, unread: boolean) => ({ id, status, needsReply, unread });

  it('counts every caller waiting for a reply and the new missed calls this member has not opened', () => {
    const head = [
      lead('reply-read', 'CONTACTED', true, false),
      lead('reply-unread', 'NEW', true, true),
      lead('new-unread', 'NEW', false, true),
      lead('new-read', 'NEW', false, false),
      lead('contacted-unread', 'CONTACTED', false, true),
    ];
    // 2 callers waiting (counted once each, from the server total) + 1 unread new missed call.
    expect(attentionCount(2, head)).toBe(3);
  });

  it('is zero when nothing waits', () => {
    expect(attentionCount(0, [lead('a', 'CONTACTED', false, false)])).toBe(0);
  });
});
