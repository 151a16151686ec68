// A periodic in-process job (outbox sends, callback SLA escalation): runs its
// tick every intervalMs, again at once when the tick says there is more work
// or when nudged, never two ticks at a time in one process. Several processes
// may run the same job: the ticks themselves claim rows with SKIP LOCKED.
import type { Logger } from '../logger';

export type Tick = () => Promise<{ moreWork: boolean }>;

export class BackgroundLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private nudged = false;
  private stopped = true;

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly tick: Tick,
    private readonly logger: Logger,
    /** Pause after a failed tick (database gone, …) so a broken dependency doesn't spin. */
    private readonly errorBackoffMs = Math.max(intervalMs, 2_000),
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Run as soon as possible (e.g. right after a transaction queued a text). */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.nudged = true;
    else this.schedule(0);
  }

  /** Stops scheduling and waits for a tick in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), delayMs);
    // The HTTP server keeps the process alive; a forgotten loop must not.
    this.timer.unref();
  }

  private run(): void {
    this.timer = null;
    if (this.stopped || this.running) return;
    this.nudged = false;
    let delay = this.intervalMs;
    this.running = this.tick()
      .then(({ moreWork }) => {
        if (moreWork || this.nudged) delay = 0;
      })
      .catch((error: unknown) => {
        delay = this.errorBackoffMs;
        if (!this.stopped) this.logger.error({ err: error, job: this.name }, 'background job failed; retrying');
      })
      .finally(() => {
        this.running = null;
        if (!this.stopped) this.schedule(delay);
      });
  }
}
