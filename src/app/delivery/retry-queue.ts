import type { ClaimedRow } from './ports.js';

/** Rows waiting for their retry, earliest first. */
export class RetryQueue {
  private entries: { row: ClaimedRow; dueAt: number }[] = [];

  get size(): number {
    return this.entries.length;
  }

  get nextDueAt(): number {
    return this.entries[0]?.dueAt ?? Infinity;
  }

  add(row: ClaimedRow, dueAt: number): void {
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1]!.dueAt > dueAt) i--;
    this.entries.splice(i, 0, { row, dueAt });
  }

  takeDue(now: number): { row: ClaimedRow; dueAt: number } | undefined {
    return this.entries[0] && this.entries[0].dueAt <= now ? this.entries.shift() : undefined;
  }
}
