// Reconnect policy: the first retry after initialDelayMs, each next one doubled up to maxDelayMs,
// at most maxTries retries (0 = unlimited). A successful CONNACK resets the count.
import type { SessionOptions } from '../../../shared/contract/types';

export interface ReconnectPlan {
  delayMs: number;
  /** 1-based number of this retry. */
  attempt: number;
  maxTries: number;
}

export class Reconnector {
  private tries = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly policy: SessionOptions['reconnect']) {}

  get attempts(): number {
    return this.tries;
  }

  get pending(): boolean {
    return this.timer !== null;
  }

  /** Plan the next retry, or null when reconnecting is off or the tries are used up. */
  next(): ReconnectPlan | null {
    const { enabled, initialDelayMs, maxDelayMs, maxTries } = this.policy;
    if (!enabled) return null;
    if (maxTries > 0 && this.tries >= maxTries) return null;
    const delayMs = Math.min(initialDelayMs * 2 ** Math.min(this.tries, 30), Math.max(maxDelayMs, initialDelayMs));
    this.tries += 1;
    return { delayMs, attempt: this.tries, maxTries };
  }

  schedule(plan: ReconnectPlan, run: () => void): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      run();
    }, plan.delayMs);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  reset(): void {
    this.tries = 0;
  }
}

export function describePlan(plan: ReconnectPlan): string {
  const delay = plan.delayMs >= 1000 ? `${+(plan.delayMs / 1000).toFixed(1)} s` : `${plan.delayMs} ms`;
  const of = plan.maxTries > 0 ? ` of ${plan.maxTries}` : '';
  return `reconnect in ${delay} (try ${plan.attempt}${of})`;
}
