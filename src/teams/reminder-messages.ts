import { randomUUID } from 'node:crypto';
import type { Agreement } from '../domain/agreement.js';
import { parseIsoWeek, parseTertial } from '../domain/calendar.js';
import type { OutgoingMessage } from '../app/delivery.js';
import type { Reporter, StoredConversation } from '../app/ports.js';
import type { ReportService } from '../app/reports.js';
import type { StatusView } from '../app/status.js';
import type { MeetingDigest, ReminderRenderer } from '../scheduler/reminders.js';
import type { Texts } from '../texts/index.js';
import { card, execute, heading, plainText, textBlock, type CardElement } from './cards/card.js';
import { reportCard } from './cards/report-card.js';
import { Verbs } from './verbs.js';

/** Reminder messages as Teams renders them; the shared channel speaks Swedish. */
export class TeamsReminderRenderer implements ReminderRenderer {
  constructor(
    private readonly t: Texts,
    private readonly reports: ReportService,
  ) {}

  async weeklyPersonal(reporter: Reporter, week: string): Promise<OutgoingMessage> {
    const t = this.t;
    const text = t.reminders.weeklyPersonal(parseIsoWeek(week)?.week ?? 0);
    const form = await this.reports.form({ id: reporter.aadObjectId, tenantId: reporter.tenantId, isCoordinator: false });
    if ('kind' in form) return { text };
    return { text, card: reportCard(t, form, { submissionId: randomUUID() }) as unknown as Record<string, unknown> };
  }

  weeklyChannel(reporters: Reporter[], week: string): OutgoingMessage {
    const named = reporters.map((r) => ({ aadObjectId: r.aadObjectId, name: r.name ?? r.party }));
    const mentions = named.map((m) => `<at>${m.name}</at>`).join(', ');
    return {
      text: this.t.reminders.weeklyChannel(parseIsoWeek(week)?.week ?? 0, mentions),
      mentions: named,
      card: card([textBlock(this.t.privacyNote, { isSubtle: true, size: 'Small' })], [execute(this.t.help.reportButton, Verbs.openReport)]) as unknown as Record<string, unknown>,
    };
  }

  meetingDigest(d: MeetingDigest): OutgoingMessage {
    const t = this.t;
    const a = d.view.agreement;
    const body: CardElement[] = [
      heading(t.reminders.digestTitle(d.meeting.kind)),
      textBlock(t.reminders.digestWhen(d.meeting.date, d.meeting.time), { weight: 'Bolder' }),
    ];
    if (d.meeting.place) body.push(plainText(d.meeting.place));
    if (d.meeting.agenda) body.push(textBlock(t.reminders.digestAgenda, { weight: 'Bolder', spacing: 'Small' }), plainText(d.meeting.agenda));
    body.push({
      type: 'FactSet',
      separator: true,
      facts: d.view.status.pledges.map((p) => ({ title: t.status.pledge(p.pledgeNumber), value: t.levels[p.effectiveLevel] ?? p.effectiveLevel })),
    });
    body.push(textBlock(t.reminders.digestReportsSince(d.reportsSince, d.since)));
    body.push(textBlock(t.reminders.digestBehind, { weight: 'Bolder', spacing: 'Medium' }));
    if (d.behind.length === 0) body.push(textBlock(t.reminders.digestNoneBehind));
    for (const s of d.behind) {
      const act = a.activities.find((x) => x.id === s.activityId);
      body.push(textBlock(`${t.levels[s.effectiveLevel] ?? s.effectiveLevel} · ${t.status.pledge(s.pledgeNumber)} · ${act?.wording ?? s.activityId}: ${t.figures.ofTarget(s.windowCount ?? 0, s.window?.target ?? s.target ?? 0, s.expectedByToday ?? 0)}`, { spacing: 'None' }));
    }
    body.push(textBlock(t.reminders.digestRaised, { weight: 'Bolder', spacing: 'Medium' }));
    if (d.raised.length === 0) body.push(textBlock(t.reminders.digestNoneRaised));
    for (const r of d.raised) {
      const act = a.activities.find((x) => x.id === r.activityId);
      body.push(textBlock(`${r.date} · ${r.area} · ${r.count} ${act?.unit ?? ''} · ${act?.wording ?? t.report.otherActivity}`.trim(), { spacing: 'Small' }));
      if (r.description) body.push(plainText(r.description));
    }
    body.push(textBlock(t.reminders.digestMissing, { weight: 'Bolder', spacing: 'Medium' }));
    if (d.missingReporters.length === 0) body.push(textBlock(t.reminders.digestNoneMissing));
    else body.push(plainText(d.missingReporters.map((m) => `${m.name ?? '–'} (${m.party})`).join(', ')));
    return { card: card(body, [execute(t.help.statusButton, Verbs.showStatus), execute(t.help.reportButton, Verbs.openReport)]) as unknown as Record<string, unknown> };
  }

  tertialSummary(view: StatusView, tertial: string): OutgoingMessage {
    const t = this.t;
    const p = parseTertial(tertial)!;
    const facts = view.status.activities
      .filter((s) => !s.isOther)
      .map((s) => ({ title: view.agreement.activities.find((x) => x.id === s.activityId)?.wording ?? s.activityId, value: t.reminders.tertialLine(s.counts.tertial, s.perTertialExpected) }));
    return {
      card: card([heading(t.reminders.tertialTitle(p.tertial, String(p.year))), { type: 'FactSet', facts }], [execute(t.help.statusButton, Verbs.showStatus)]) as unknown as Record<string, unknown>,
    };
  }

  periodWarning(agreement: Agreement, daysBefore: number): OutgoingMessage {
    return { text: this.t.reminders.periodWarning(daysBefore, agreement.periodEnd, agreement.municipality) };
  }

  conversationGone(conversation: StoredConversation | undefined): OutgoingMessage {
    const where = conversation?.kind === 'channel' ? this.t.reminders.aChannel : this.t.reminders.aChat;
    return { text: this.t.reminders.conversationGone(where) };
  }
}
