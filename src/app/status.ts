import type { Agreement } from '../domain/agreement.js';
import { localDateOf } from '../domain/calendar.js';
import { computeStatus, type AgreementStatus, type StatusThresholds } from '../domain/status.js';
import type { AgreementService } from './agreements.js';
import type { Clock } from './clock.js';
import type { Store } from './ports.js';

export interface StatusView {
  agreement: Agreement;
  inForce: boolean;
  today: string;
  status: AgreementStatus;
}

/** Status of the current agreement, computed from the stored reports on every request. */
export class StatusService {
  constructor(
    private readonly store: Store,
    private readonly agreements: AgreementService,
    private readonly clock: Clock,
    private readonly thresholds: StatusThresholds,
  ) {}

  async current(): Promise<StatusView | undefined> {
    const current = await this.agreements.current();
    if (!current) return undefined;
    const today = localDateOf(this.clock.now());
    const reports = await this.store.reports.list({ agreementId: current.agreement.id });
    return { ...current, today, status: computeStatus(current.agreement, reports, today, this.thresholds) };
  }
}
