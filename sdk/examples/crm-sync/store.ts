// The example's "CRM": leads, callbacks and caller texts in one JSON file, plus what
// the sync needs to be safe to repeat: the ids of the webhook events already applied
// (deliveries are at least once) and how far reconciliation got. Every write replaces
// the file atomically (write, then rename), so a crash never leaves half a file.
import fs from 'node:fs';
import path from 'node:path';

export interface StoredLead {
  id: string;
  phone: string;
  name: string | null;
  status: string;
  optedOut: boolean;
  /** CallSnare's Lead.updatedAt: a copy is replaced only by a newer one (webhooks arrive in any order). */
  updatedAt: string;
  /** How the current copy arrived. */
  via: 'webhook' | 'reconcile';
}

export interface StoredCallback {
  id: string;
  leadId: string;
  status: string;
  outcome: string | null;
  dueAt: string;
  updatedAt: string;
  via: 'webhook' | 'reconcile';
}

export interface StoredText {
  id: string;
  leadId: string;
  from: string;
  body: string;
  createdAt: string;
}

export interface CrmData {
  leads: Record<string, StoredLead>;
  callbacks: Record<string, StoredCallback>;
  texts: Record<string, StoredText>;
  /** Webhook event ids already applied, oldest first (the last MAX_SEEN_EVENTS). */
  seenEvents: string[];
  /** The highest Lead.updatedAt a completed reconciliation saw; null before the first (full) sync. */
  leadsSyncedThrough: string | null;
  /** A reconciliation in progress: its filter and the last page's end cursor, to resume after a crash. */
  leadsResume: { updatedSince: string; after: string; highest: string | null } | null;
}

/** CallSnare retries a delivery for about a day; remembering this many ids covers far more than that. */
const MAX_SEEN_EVENTS = 10_000;

const empty = (): CrmData => ({ leads: {}, callbacks: {}, texts: {}, seenEvents: [], leadsSyncedThrough: null, leadsResume: null });

export class CrmStore {
  readonly data: CrmData;
  readonly #file: string;
  readonly #seen: Set<string>;

  constructor(file: string) {
    this.#file = file;
    this.data = fs.existsSync(file) ? { ...empty(), ...(JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CrmData>) } : empty();
    this.#seen = new Set(this.data.seenEvents);
  }

  hasSeen(eventId: string): boolean {
    return this.#seen.has(eventId);
  }

  markSeen(eventId: string): void {
    this.#seen.add(eventId);
    this.data.seenEvents.push(eventId);
    const forgotten = this.data.seenEvents.splice(0, Math.max(0, this.data.seenEvents.length - MAX_SEEN_EVENTS));
    for (const id of forgotten) this.#seen.delete(id);
  }

  /** Keeps the newer copy; returns whether `lead` was new or newer than what was stored. */
  upsertLead(lead: StoredLead): boolean {
    const stored = this.data.leads[lead.id];
    if (stored && stored.updatedAt >= lead.updatedAt) return false;
    this.data.leads[lead.id] = lead;
    return true;
  }

  upsertCallback(callback: StoredCallback): boolean {
    const stored = this.data.callbacks[callback.id];
    if (stored && stored.updatedAt >= callback.updatedAt) return false;
    this.data.callbacks[callback.id] = callback;
    return true;
  }

  addText(text: StoredText): void {
    this.data.texts[text.id] ??= text;
  }

  save(): void {
    fs.mkdirSync(path.dirname(this.#file), { recursive: true });
    const temporary = `${this.#file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(this.data, null, 2)}\n`);
    fs.renameSync(temporary, this.#file);
  }
}
