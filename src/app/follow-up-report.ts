import type { Agreement } from '../domain/agreement.js';
import { isoWeekOfLocalDate, localDateOf } from '../domain/calendar.js';
import {
  awaitsCommunication,
  buildFollowUpDocument,
  documentOf,
  figuresDiffer,
  followUpPeriodByKey,
  followUpPeriodsOf,
  isSigned,
  narrativesOf,
  narrativeStartingPoint,
  newRevision,
  parseFollowUpPeriod,
  parseKfPeriod,
  validateCommunication,
  validateNarrative,
  type CommunicationError,
  type NarrativeError,
  type StoredFollowUp,
} from '../domain/follow-up.js';
import type { FollowUpDocument, FollowUpPeriod, FollowUpPledge } from '../domain/follow-up-document.js';
import { REPORTING_PARTIES, type ReportingParty } from '../domain/party.js';
import type { Actor } from './actor.js';
import type { AgreementService } from './agreements.js';
import { recordRefusal, recordStored, type AuditAction, type AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { Store } from './ports.js';

/**
 * The follow-up both parties sign (issue #15): a coordinator asks for the draft of a follow-up
 * point ("uppföljning tertial 2"), writes a narrative per löfte, and one coordinator of Polisen
 * and one of Kommunen approve it; afterwards either records where it was communicated to the
 * citizens. The KF report ("kf-rapport 2024") gathers a year or the whole period.
 *
 * Revisions: the first draft freezes the figures of the reports as they are then. A narrative edit
 * makes a new revision (figures read again), and so does "Uppdatera siffror" when reports changed
 * since (a late report changes nothing on its own: what was approved stays what was approved). A
 * new revision clears the approvals; an approval names the revision it approves, so a press on an
 * older card is refused. Every step is audited.
 */

export type FollowUpRefusal =
  | { kind: 'forbidden' }
  | { kind: 'noAgreement' }
  | { kind: 'period'; reason: 'notUnderstood' | 'notInAgreement'; agreement: Agreement }
  | { kind: 'notFound' };

export interface FollowUpView {
  kind: 'view';
  agreement: Agreement;
  stored: StoredFollowUp;
  document: FollowUpDocument;
  /** Reports changed since this revision's figures were taken (a coordinator may refresh). */
  stale: boolean;
  /** What happened in this step, for the card's first line. */
  notice?:
    | 'created'
    | 'narrativeSaved'
    | 'approved'
    | 'signed'
    | 'refreshed'
    | 'unchanged'
    | 'communicated'
    | 'alreadyApproved';
}

export type ApprovalRefusal =
  | { kind: 'notCoordinator' }
  | { kind: 'unknownParty' }
  | { kind: 'wrongParty'; own: ReportingParty; pressed: ReportingParty }
  | { kind: 'staleRevision'; view: FollowUpView };

export type NarrativeForm = {
  kind: 'narrativeForm';
  agreement: Agreement;
  stored: StoredFollowUp;
  pledge: FollowUpPledge;
  /** What the card's field holds: the saved narrative, else the starting point, else what was typed. */
  text: string;
  /** The starting point was offered (nothing saved yet). */
  fromFlagged: boolean;
  /** Flagged texts left out of the starting point by the privacy guard. */
  leftOut: number;
  error?: NarrativeError;
};

export type CommunicationForm = {
  kind: 'communicationForm';
  agreement: Agreement;
  stored: StoredFollowUp;
  values: Record<string, string>;
  errors: CommunicationError[];
};

export interface KfReport {
  kind: 'kf';
  agreement: Agreement;
  document: FollowUpDocument;
  /** Follow-up points inside the span not (yet) signed by both parties. */
  unsigned: string[];
}

/** What a digest or the status card says about an agreement's follow-ups. */
export interface FollowUpState {
  /** Ended follow-up points drafted and not signed by both parties (and the latest ended one if not drafted), with who is missing. */
  unsigned: { period: FollowUpPeriod; missing: ReportingParty[] }[];
  /** Signed follow-ups not yet recorded as communicated to the citizens. */
  uncommunicated: FollowUpPeriod[];
  /** The latest signed follow-up's communications. */
  communicated: { period: FollowUpPeriod; channels: string[] }[];
}

export interface FollowUpReportDeps {
  store: Store;
  agreements: AgreementService;
  clock: Clock;
  audit: AuditLog;
  /** The reporting party a person acts for (PARTY_BY_PERSON, their registration, the tenant). */
  partyOf(actor: Actor, agreement: Agreement): Promise<ReportingParty | undefined>;
}

/** A race lost against another instance or a second press: read again and retry (bounded). */
const MAX_TRIES = 5;

export class FollowUpReportService {
  constructor(private readonly deps: FollowUpReportDeps) {}

  private today(): string {
    return localDateOf(this.deps.clock.now(), 'Europe/Stockholm');
  }

  /** "uppföljning …": the draft of a follow-up point (created as revision 1 when first asked for). */
  async open(actor: Actor, periodText: string, correlationId?: string): Promise<FollowUpView | FollowUpRefusal> {
    if (!actor.isCoordinator) {
      await recordRefusal(this.deps.audit, this.deps.clock.now(), actor, 'followup.open', undefined, correlationId);
      return { kind: 'forbidden' };
    }
    const current = await this.deps.agreements.current(actor.scope);
    if (!current) return { kind: 'noAgreement' };
    const agreement = current.agreement;
    const parsed = parseFollowUpPeriod(periodText, agreement, this.today());
    if (!parsed.ok) return { kind: 'period', reason: parsed.reason, agreement };
    return this.ensure(agreement, parsed.period, actor.id, correlationId);
  }

  /** The stored follow-up of a period, created from the reports when there is none yet. */
  async ensure(
    agreement: Agreement,
    period: FollowUpPeriod,
    by: string,
    correlationId?: string,
  ): Promise<FollowUpView> {
    for (let i = 0; i < MAX_TRIES; i++) {
      const existing = await this.deps.store.followUps.get(agreement.id, period.key);
      if (existing) return this.view(agreement, existing);
      const pledges = await this.figures(agreement, period, {});
      const created = newRevision(undefined, {
        agreementId: agreement.id,
        period,
        pledges,
        at: this.deps.clock.now().toISOString(),
        by,
        change: 'created',
      });
      if (await this.deps.store.followUps.save(created)) {
        await this.audit(by, 'followup.drafted', agreement.id, period.key, 'revision 1', correlationId);
        return { ...(await this.view(agreement, created)), notice: 'created' };
      }
    }
    throw new Error('follow-up: could not store the draft (too many concurrent writes)');
  }

  /** The narrative card of one pledge: the saved text, else a starting point from flagged reports. */
  async narrativeForm(
    actor: Actor,
    agreementId: string,
    periodKey: string,
    pledgeNumber: number,
  ): Promise<NarrativeForm | FollowUpRefusal> {
    const found = await this.find(actor, agreementId, periodKey);
    if ('kind' in found) return found;
    const pledge = found.stored.pledges.find((p) => p.number === pledgeNumber);
    if (!pledge) return { kind: 'notFound' };
    if (pledge.narrative !== '')
      return { kind: 'narrativeForm', ...found, pledge, text: pledge.narrative, fromFlagged: false, leftOut: 0 };
    const reports = await this.reportsOf(found.agreement, found.stored.period);
    const start = narrativeStartingPoint(reports, pledgeNumber, found.stored.period);
    return {
      kind: 'narrativeForm',
      ...found,
      pledge,
      text: start.lines.join('\n'),
      fromFlagged: start.lines.length > 0,
      leftOut: start.leftOut,
    };
  }

  /** Saves a pledge's narrative as a new revision (approvals cleared); a refused text comes back as typed. */
  async saveNarrative(
    actor: Actor,
    agreementId: string,
    periodKey: string,
    pledgeNumber: number,
    text: unknown,
    correlationId?: string,
  ): Promise<FollowUpView | NarrativeForm | FollowUpRefusal> {
    const found = await this.find(actor, agreementId, periodKey);
    if ('kind' in found) return found;
    const checked = validateNarrative(text);
    const pledge = found.stored.pledges.find((p) => p.number === pledgeNumber);
    if (!pledge) return { kind: 'notFound' };
    if (!checked.ok) {
      await this.audit(
        actor.id,
        'followup.revised',
        agreementId,
        periodKey,
        checked.error.code,
        correlationId,
        'refused',
      );
      return {
        kind: 'narrativeForm',
        ...found,
        pledge,
        text: typeof text === 'string' ? text : '',
        fromFlagged: false,
        leftOut: 0,
        error: checked.error,
      };
    }
    return this.revise(actor, found.agreement, periodKey, 'narrative', correlationId, (stored) =>
      stored.pledges.find((p) => p.number === pledgeNumber)?.narrative === checked.value
        ? undefined
        : { ...narrativesOf(stored.pledges), [String(pledgeNumber)]: checked.value },
    );
  }

  /** "Uppdatera siffror": a new revision with the figures of the reports as they are now, if they changed. */
  async refresh(
    actor: Actor,
    agreementId: string,
    periodKey: string,
    correlationId?: string,
  ): Promise<FollowUpView | FollowUpRefusal> {
    const found = await this.find(actor, agreementId, periodKey);
    if ('kind' in found) return found;
    return this.revise(actor, found.agreement, periodKey, 'refreshed', correlationId, (stored) =>
      narrativesOf(stored.pledges),
    );
  }

  /**
   * An approval for `pressed` (the button's party) of `revision`: only a coordinator whose own
   * party it is, of the revision still current.
   */
  async approve(
    actor: Actor,
    agreementId: string,
    periodKey: string,
    pressed: ReportingParty,
    revision: number,
    correlationId?: string,
  ): Promise<FollowUpView | FollowUpRefusal | ApprovalRefusal> {
    const refuse = async (code: string) => {
      await recordRefusal(
        this.deps.audit,
        this.deps.clock.now(),
        actor,
        `followup.approve.${code}`,
        `${agreementId}:${periodKey}`,
        correlationId,
      );
    };
    if (!actor.isCoordinator) {
      await refuse('notCoordinator');
      return { kind: 'notCoordinator' };
    }
    const found = await this.find(actor, agreementId, periodKey);
    if ('kind' in found) return found;
    const own = await this.deps.partyOf(actor, found.agreement);
    if (!own) {
      await refuse('unknownParty');
      return { kind: 'unknownParty' };
    }
    if (own !== pressed) {
      await refuse('wrongParty');
      return { kind: 'wrongParty', own, pressed };
    }
    for (let i = 0; i < MAX_TRIES; i++) {
      const stored = (await this.deps.store.followUps.get(agreementId, periodKey))!;
      if (stored.revision !== revision) {
        await refuse('staleRevision');
        return { kind: 'staleRevision', view: await this.view(found.agreement, stored) };
      }
      if (stored.approvals.some((a) => a.party === own))
        return { ...(await this.view(found.agreement, stored)), notice: 'alreadyApproved' };
      const at = this.deps.clock.now().toISOString();
      const approvals = [...stored.approvals, { party: own, at, by: actor.id }];
      const signed = isSigned(approvals);
      const next: StoredFollowUp = {
        ...stored,
        version: stored.version + 1,
        approvals,
        ...(signed ? { lastSigned: { revision: stored.revision, at, narratives: narrativesOf(stored.pledges) } } : {}),
      };
      if (await this.deps.store.followUps.save(next)) {
        await this.audit(
          actor.id,
          'followup.approved',
          agreementId,
          periodKey,
          `revision ${stored.revision} ${own}${signed ? ' signed' : ''}`,
          correlationId,
        );
        return { ...(await this.view(found.agreement, next)), notice: signed ? 'signed' : 'approved' };
      }
    }
    throw new Error('follow-up: could not store the approval (too many concurrent writes)');
  }

  /** The "Kommunicerat till medborgarna" card's values (empty, today's date). */
  async communicationForm(
    actor: Actor,
    agreementId: string,
    periodKey: string,
  ): Promise<CommunicationForm | FollowUpRefusal | { kind: 'notSigned'; view: FollowUpView }> {
    const found = await this.find(actor, agreementId, periodKey);
    if ('kind' in found) return found;
    if (!found.stored.lastSigned) return { kind: 'notSigned', view: await this.view(found.agreement, found.stored) };
    return { kind: 'communicationForm', ...found, values: { date: this.today() }, errors: [] };
  }

  /** Records where and when a signed follow-up was published; by a coordinator of either party. */
  async recordCommunication(
    actor: Actor,
    agreementId: string,
    periodKey: string,
    raw: Record<string, unknown>,
    correlationId?: string,
  ): Promise<FollowUpView | CommunicationForm | FollowUpRefusal | { kind: 'notSigned'; view: FollowUpView }> {
    const found = await this.find(actor, agreementId, periodKey);
    if ('kind' in found) return found;
    if (!found.stored.lastSigned) return { kind: 'notSigned', view: await this.view(found.agreement, found.stored) };
    const checked = validateCommunication(raw, { today: this.today(), periodFrom: found.stored.period.from });
    if (!checked.ok) {
      await this.audit(
        actor.id,
        'followup.communicated',
        agreementId,
        periodKey,
        checked.errors.map((e) => `${e.field}.${e.code}`).join(','),
        correlationId,
        'refused',
      );
      const values = Object.fromEntries(
        ['channel', 'date', 'url', 'note'].map((k) => [k, typeof raw[k] === 'string' ? (raw[k] as string) : '']),
      );
      return { kind: 'communicationForm', ...found, values, errors: checked.errors };
    }
    const party = await this.deps.partyOf(actor, found.agreement);
    for (let i = 0; i < MAX_TRIES; i++) {
      const stored = (await this.deps.store.followUps.get(agreementId, periodKey))!;
      const next: StoredFollowUp = {
        ...stored,
        version: stored.version + 1,
        communications: [
          ...stored.communications,
          { ...checked.value, at: this.deps.clock.now().toISOString(), by: actor.id, ...(party ? { party } : {}) },
        ],
      };
      if (await this.deps.store.followUps.save(next)) {
        await this.audit(
          actor.id,
          'followup.communicated',
          agreementId,
          periodKey,
          checked.value.channel,
          correlationId,
        );
        return { ...(await this.view(found.agreement, next)), notice: 'communicated' };
      }
    }
    throw new Error('follow-up: could not store the communication (too many concurrent writes)');
  }

  /** "kf-rapport 2024": the återrapport to kommunfullmäktige of a year or the whole period. */
  async kfReport(actor: Actor, periodText: string): Promise<KfReport | FollowUpRefusal> {
    if (!actor.isCoordinator) return { kind: 'forbidden' };
    const current = await this.deps.agreements.current(actor.scope);
    if (!current) return { kind: 'noAgreement' };
    const agreement = current.agreement;
    const parsed = parseKfPeriod(periodText, agreement);
    if (!parsed.ok) return { kind: 'period', reason: parsed.reason, agreement };
    return { kind: 'kf', agreement, ...(await this.kfDocument(agreement, parsed.period)) };
  }

  /**
   * The KF report of a year or the whole period, with the signed narratives of the follow-ups inside
   * it and the follow-up points not yet signed. No access check: for the renderers, the export CLI
   * and download links, which check their own.
   */
  async kfDocument(
    agreement: Agreement,
    period: FollowUpPeriod,
  ): Promise<{ document: FollowUpDocument; unsigned: string[] }> {
    const stored = await this.deps.store.followUps.listOf(agreement.id);
    const inside = followUpPeriodsOf(agreement).filter((p) => p.from >= period.from && p.to <= period.to);
    const signedNarratives: Record<string, { periodKey: string; narrative: string }[]> = {};
    for (const p of inside) {
      const f = stored.find((s) => s.periodKey === p.key);
      for (const [pledge, narrative] of Object.entries(f?.lastSigned?.narratives ?? {}))
        (signedNarratives[pledge] ??= []).push({ periodKey: p.key, narrative });
    }
    const document = buildFollowUpDocument({
      agreement,
      period,
      kind: 'kf-report',
      tally: await this.deps.store.reports.tally(agreement.id),
      reports: await this.reportsOf(agreement, period),
      signedNarratives,
      today: this.today(),
    });
    const today = this.today();
    const unsigned = inside
      .filter((p) => p.to < today && !stored.find((s) => s.periodKey === p.key)?.lastSigned)
      .map((p) => p.key);
    return { document, unsigned };
  }

  /**
   * The document of a stored follow-up as last revised (its frozen figures, narratives, approvals and
   * communications), for the renderers; undefined when it was never drafted. No access check.
   */
  async document(agreementId: string, periodKey: string): Promise<FollowUpDocument | undefined> {
    const [agreement, stored] = await Promise.all([
      this.deps.store.agreements.get(agreementId),
      this.deps.store.followUps.get(agreementId, periodKey),
    ]);
    return agreement && stored ? documentOf(stored, agreement, this.today()) : undefined;
  }

  /** The follow-up state of an agreement on `today` (digest, status): what is unsigned and uncommunicated. */
  async stateOf(agreement: Agreement, today: string): Promise<FollowUpState> {
    const stored = await this.deps.store.followUps.listOf(agreement.id);
    const ended = followUpPeriodsOf(agreement).filter((p) => p.to < today);
    const unsigned: FollowUpState['unsigned'] = [];
    const uncommunicated: FollowUpPeriod[] = [];
    const communicated: FollowUpState['communicated'] = [];
    const latest = ended[ended.length - 1];
    for (const p of ended) {
      const f = stored.find((s) => s.periodKey === p.key);
      // Unsigned: drafted and not signed, or the latest ended point (older ones never drafted are history).
      if ((f && !isSigned(f.approvals)) || (!f && p === latest))
        unsigned.push({
          period: p,
          missing: REPORTING_PARTIES.filter((party) => !f?.approvals.some((a) => a.party === party)),
        });
      if (f && awaitsCommunication(f)) uncommunicated.push(p);
      if (f && f.communications.length > 0)
        communicated.push({ period: p, channels: [...new Set(f.communications.map((c) => c.channel))] });
    }
    return { unsigned, uncommunicated, communicated: communicated.slice(-1) };
  }

  /** Signed follow-ups of an agreement not yet communicated (the weekly reminder). */
  async awaitingCommunication(agreementId: string): Promise<StoredFollowUp[]> {
    return (await this.deps.store.followUps.listOf(agreementId)).filter(awaitsCommunication);
  }

  /** The view of a stored follow-up: its document and whether the reports moved since its figures. */
  async view(agreement: Agreement, stored: StoredFollowUp): Promise<FollowUpView> {
    const fresh = await this.figures(agreement, stored.period, {});
    return {
      kind: 'view',
      agreement,
      stored,
      document: documentOf(stored, agreement, this.today()),
      stale: figuresDiffer(stored.pledges, fresh),
    };
  }

  private async revise(
    actor: Actor,
    agreement: Agreement,
    periodKey: string,
    change: 'narrative' | 'refreshed',
    correlationId: string | undefined,
    narrativesFor: (stored: StoredFollowUp) => Record<string, string> | undefined,
  ): Promise<FollowUpView> {
    for (let i = 0; i < MAX_TRIES; i++) {
      const stored = (await this.deps.store.followUps.get(agreement.id, periodKey))!;
      const narratives = narrativesFor(stored);
      if (!narratives) return { ...(await this.view(agreement, stored)), notice: 'unchanged' };
      const pledges = await this.figures(agreement, stored.period, narratives);
      if (change === 'refreshed' && !figuresDiffer(stored.pledges, pledges))
        return { ...(await this.view(agreement, stored)), notice: 'unchanged' };
      const next = newRevision(stored, {
        agreementId: agreement.id,
        period: stored.period,
        pledges,
        at: this.deps.clock.now().toISOString(),
        by: actor.id,
        change,
      });
      if (await this.deps.store.followUps.save(next)) {
        await this.audit(
          actor.id,
          'followup.revised',
          agreement.id,
          periodKey,
          `revision ${next.revision} ${change}${stored.approvals.length > 0 ? ' approvals cleared' : ''}`,
          correlationId,
        );
        return {
          ...(await this.view(agreement, next)),
          notice: change === 'narrative' ? 'narrativeSaved' : 'refreshed',
        };
      }
    }
    throw new Error('follow-up: could not store the revision (too many concurrent writes)');
  }

  /** The figures of a period from the running totals and the period's reports (for sub-counts). */
  private async figures(
    agreement: Agreement,
    period: FollowUpPeriod,
    narratives: Record<string, string>,
  ): Promise<FollowUpPledge[]> {
    return buildFollowUpDocument({
      agreement,
      period,
      tally: await this.deps.store.reports.tally(agreement.id),
      reports: await this.reportsOf(agreement, period),
      narratives,
      today: this.today(),
    }).pledges;
  }

  private reportsOf(agreement: Agreement, period: FollowUpPeriod) {
    return this.deps.store.reports.list({
      agreementId: agreement.id,
      fromWeek: isoWeekOfLocalDate(period.from),
      toWeek: isoWeekOfLocalDate(period.to),
    });
  }

  /** The stored follow-up an action names, if the actor coordinates its agreement's municipality. */
  private async find(
    actor: Actor,
    agreementId: string,
    periodKey: string,
  ): Promise<{ agreement: Agreement; stored: StoredFollowUp } | FollowUpRefusal> {
    if (!actor.isCoordinator) {
      await recordRefusal(
        this.deps.audit,
        this.deps.clock.now(),
        actor,
        'followup.change',
        `${agreementId}:${periodKey}`,
      );
      return { kind: 'forbidden' };
    }
    const agreement = (await this.deps.agreements.ofScope(actor.scope)).find((a) => a.id === agreementId);
    if (!agreement) return { kind: 'notFound' };
    const stored = await this.deps.store.followUps.get(agreementId, periodKey);
    if (stored) return { agreement, stored };
    // A card posted in the channel before anyone opened it: the draft is made on the first press.
    const period = followUpPeriodByKey(agreement, periodKey);
    if (!period) return { kind: 'notFound' };
    return { agreement, stored: (await this.ensure(agreement, period, actor.id)).stored };
  }

  private audit(
    actorId: string,
    action: AuditAction,
    agreementId: string,
    periodKey: string,
    detail: string,
    correlationId?: string,
    outcome: 'ok' | 'refused' = 'ok',
  ): Promise<void> {
    const entry = {
      at: this.deps.clock.now().toISOString(),
      actor: { id: actorId },
      action,
      objectId: `${agreementId}:${periodKey}`,
      outcome,
      detail,
      ...(correlationId ? { correlationId } : {}),
    };
    return outcome === 'ok' ? recordStored(this.deps.audit, entry) : this.deps.audit.record(entry);
  }
}
