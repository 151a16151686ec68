// The tab title's attention badge: "(3) Inbox · CallSnare". Pages set their own
// title (document.title); the signed-in shell puts "(n) " in front of whatever
// title is current, so the two never fight over document.title. A page title
// may itself start with parentheses ("(555) 123-4567 · CallSnare"), so the badge
// is never parsed back out of a title: the page's own title is remembered.
import { useEffect, useRef } from 'react';

/** More than this shows as "99+". */
export const BADGE_MAX = 99;

export function badgedTitle(pageTitle: string, count: number): string {
  if (count <= 0) return pageTitle;
  return `(${count > BADGE_MAX ? `${BADGE_MAX}+` : count}) ${pageTitle}`;
}

export interface TitleTarget {
  title: string;
}

/**
 * Keeps `target.title` badged. `sync()` after any title change: a title that is
 * not the one last written here is the page's new title. `setCount` re-badges;
 * `release()` puts the page's own title back.
 */
export function titleBadge(target: TitleTarget, initialCount = 0) {
  let count = initialCount;
  let pageTitle = target.title;
  let written: string | null = null;
  const sync = () => {
    if (target.title !== written) pageTitle = target.title;
    written = badgedTitle(pageTitle, count);
    if (target.title !== written) target.title = written;
  };
  sync();
  return {
    sync,
    setCount(next: number) {
      count = next;
      sync();
    },
    release() {
      if (target.title === written) target.title = pageTitle;
      written = null;
    },
  };
}

/** Keeps `(count) ` in front of the tab title, through every title change a page makes. */
export function useTitleBadge(count: number): void {
  const badge = useRef<ReturnType<typeof titleBadge> | null>(null);
  useEffect(() => {
    const current = titleBadge(document, 0);
    badge.current = current;
    const observer = new MutationObserver(() => current.sync());
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      current.release();
      badge.current = null;
    };
  }, []);
  useEffect(() => {
    badge.current?.setCount(count);
  }, [count]);
}
