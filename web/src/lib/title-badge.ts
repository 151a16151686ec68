// The tab title's attention badge: "(3) Inbox · CallSnare". Pages set their own
// title (document.title); the signed-in shell keeps the "(n) " prefix on
// whatever title is current, so the two never fight over document.title.
import { useEffect } from 'react';

const BADGE = /^\(\d+\+?\) /;

/** More than this shows as "99+". */
export const BADGE_MAX = 99;

export function badgedTitle(title: string, count: number): string {
  const bare = title.replace(BADGE, '');
  if (count <= 0) return bare;
  return `(${count > BADGE_MAX ? `${BADGE_MAX}+` : count}) ${bare}`;
}

/** Keeps `(count) ` in front of the tab title, through every title change a page makes. */
export function useTitleBadge(count: number): void {
  useEffect(() => {
    const apply = () => {
      const wanted = badgedTitle(document.title, count);
      if (document.title !== wanted) document.title = wanted;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      document.title = badgedTitle(document.title, 0);
    };
  }, [count]);
}
