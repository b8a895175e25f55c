/** A counting semaphore; wakeAll() releases every waiter (on stop) without handing out permits. */
export class Permits {
  private waiters: (() => void)[] = [];
  constructor(private free: number) {}

  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }

  wakeAll(): void {
    const all = this.waiters;
    this.waiters = [];
    for (const w of all) {
      this.free--; // each woken worker releases once more on its way out
      w();
    }
  }
}
