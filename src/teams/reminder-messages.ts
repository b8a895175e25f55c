import { randomUUID } from 'node:crypto';
import type { Agreement } from '../domain/agreement.js';
import { parseIsoWeek, parseTertial } from '../domain/calendar.js';
import { isParty } from '../domain/party.js';
import { safeText, screenActivities } from '../domain/outbound-guard.js';
import type { OutgoingMessage } from '../app/delivery/index.js';
import type { StoredConversation } from '../domain/conversation.js';
import type { Reporter } from '../domain/reporter.js';
import type { ReportService } from '../app/reports.js';
import type { StatusView } from '../app/status.js';
import type { MeetingDigest, ReminderRenderer, WeeklySummary } from '../app/reminders.js';
import type { Texts } from '../texts/index.js';
import { card, execute, heading, plainText, textBlock, type CardElement } from './cards/card.js';
import { headlineFigure } from './cards/status-card.js';
import { mention } from './proactive.js';
import type { FollowUpView, KfReport } from '../app/follow-up-report.js';
import type { FollowUpPeriod } from '../domain/follow-up-document.js';
import { personalDataKinds } from '../domain/privacy.js';
import { followUpCard, kfReportCard } from './cards/follow-up-report-cards.js';
import { Verbs } from './verbs.js';

/**
 * The digest's "ligger efter" part, by the status card's rule: every löfte and aktivitet at Risk or
 * Efter is named with its level and figures; a löfte set by hand with no such activity by its level.
 */
function attentionLines(t: Texts, d: MeetingDigest): CardElement[] {
  const a = d.view.agreement;
  const lines: CardElement[] = [textBlock(t.reminders.digestBehind, { weight: 'Bolder', spacing: 'Medium' })];
  const { activities, pledges } = d.attention;
  if (activities.length === 0 && pledges.length === 0) return [...lines, textBlock(t.reminders.digestNoneBehind)];
  for (const s of activities) {
    const act = a.activities.find((x) => x.id === s.activityId);
    lines.push(
      textBlock(
        `${t.status.pledge(s.pledgeNumber)} · ${act?.wording ?? t.report.otherActivity}: ${t.levels[s.effectiveLevel]} · ${headlineFigure(t, d.view, s)}`,
        { spacing: 'Small' },
      ),
    );
  }
  for (const p of pledges.filter((p) => !activities.some((s) => s.pledgeNumber === p.pledgeNumber))) {
    lines.push(
      textBlock(t.reminders.digestPledgeOnly(t.status.pledge(p.pledgeNumber), t.levels[p.effectiveLevel]!), {
        spacing: 'Small',
      }),
    );
  }
  return lines;
}

/** The previous meeting's decisions and follow-ups (recorded with `protokoll`), one line per item. */
function previousMinutesLines(t: Texts, d: MeetingDigest): CardElement[] {
  if (!d.previous || (!d.previous.decisions && !d.previous.followUps)) return [];
  const m = t.planning.minutes;
  const prev = d.previous.meeting;
  const lines: CardElement[] = [
    textBlock(m.digestTitle(t.followUp.meetings.kindNames[prev.kind], prev.date), {
      weight: 'Bolder',
      spacing: 'Medium',
    }),
  ];
  for (const [label, text] of [
    [m.digestDecisions, d.previous.decisions],
    [m.digestFollowUps, d.previous.followUps],
  ] as const) {
    if (!text) continue;
    lines.push(textBlock(label, { spacing: 'Small', isSubtle: true }));
    // Typed text: TextRuns, never markdown.
    for (const line of text.split('\n').filter((l) => l.trim() !== ''))
      lines.push({ ...plainText(`• ${line.trim()}`), spacing: 'None' });
  }
  return lines;
}

/** Reminder messages as Teams renders them; the shared channel speaks Swedish. */
export class TeamsReminderRenderer implements ReminderRenderer {
  constructor(
    private readonly t: Texts,
    private readonly reports: ReportService,
  ) {}

  /**
   * The weekly reminder 1:1: what to do in one press each — the week card, "Inget att rapportera",
   * "Samma som förra veckan" — or a snooze ("Påminn mig i morgon", "Påminn mig kl. 15"). Every
   * button carries the reminder's week.
   */
  async weeklyPersonal(reporter: Reporter, week: string): Promise<OutgoingMessage> {
    const t = this.t;
    const n = parseIsoWeek(week)?.week ?? 0;
    const text = t.reminders.weeklyPersonal(n);
    const form = await this.reports.form({
      id: reporter.aadObjectId,
      tenantId: reporter.tenantId,
      isCoordinator: false,
      ...(reporter.scope ? { scope: reporter.scope } : {}),
    });
    if ('kind' in form) return { text };
    const submissionId = randomUUID();
    return {
      text,
      card: card(
        [
          heading(t.week.reminderTitle(n)),
          textBlock(t.week.reminderText),
          textBlock(t.privacyNote, { isSubtle: true, size: 'Small' }),
        ],
        [
          { ...execute(t.week.reportButton, Verbs.openReport, { week }), style: 'positive' },
          execute(t.week.nothingButton, Verbs.nothingToReport, {
            week,
            submissionId,
            party: form.defaultParty ?? reporter.party,
          }),
          execute(t.week.sameButton, Verbs.sameAsLastWeek, { week }),
          execute(t.week.snoozeTomorrow, Verbs.snoozeReminder, { week, snooze: 'tomorrow' }),
          execute(t.week.snooze15, Verbs.snoozeReminder, { week, snooze: 'at15' }),
        ],
      ) as unknown as Record<string, unknown>,
    };
  }

  weeklyChannel(reporters: Reporter[], week: string): OutgoingMessage {
    // A name Teams supplied that fails the privacy guard is not posted: the party stands in for it.
    const named = reporters.map((r) => ({ aadObjectId: r.aadObjectId, name: safeText(r.name) ?? r.party }));
    // The same tag as the mention entity (escaped once, in one place): one mention per person.
    const mentions = named.map((m) => mention(m).tag).join(', ');
    // Each press is an invoke answered to the presser alone (their own card, their own "inget").
    return {
      text: this.t.reminders.weeklyChannel(parseIsoWeek(week)?.week ?? 0, mentions),
      mentions: named,
      card: card(
        [
          textBlock(this.t.week.reminderChannelText, { size: 'Small' }),
          textBlock(this.t.privacyNote, { isSubtle: true, size: 'Small' }),
        ],
        [
          execute(this.t.help.reportButton, Verbs.openReport, { week }),
          execute(this.t.week.nothingButton, Verbs.nothingToReport, { week }),
          execute(this.t.week.sameButton, Verbs.sameAsLastWeek, { week }),
        ],
      ) as unknown as Record<string, unknown>,
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
    if (d.meeting.agenda)
      body.push(
        textBlock(t.reminders.digestAgenda, { weight: 'Bolder', spacing: 'Small' }),
        plainText(d.meeting.agenda),
      );
    body.push({
      type: 'FactSet',
      separator: true,
      facts: d.view.status.pledges.map((p) => ({
        title: t.status.pledge(p.pledgeNumber),
        value: t.levels[p.effectiveLevel] ?? p.effectiveLevel,
      })),
    });
    body.push(textBlock(t.reminders.digestReportsSince(d.reportsSince, d.since)));
    body.push(...attentionLines(t, d));
    body.push(textBlock(t.reminders.digestRaised, { weight: 'Bolder', spacing: 'Medium' }));
    if (d.raised.length === 0) body.push(textBlock(t.reminders.digestNoneRaised));
    for (const r of d.raised) {
      const act = a.activities.find((x) => x.id === r.activityId);
      const what = act
        ? `${t.quantity(r.count, act)} · ${act.wording}`
        : `${t.number(r.count)} · ${t.report.otherActivity}`;
      // One block per item, its free text under it (a TextRun: never markdown).
      const items: CardElement[] = [textBlock(`${r.date} · ${r.area} · ${what}`)];
      if (r.description) items.push({ ...plainText(r.description, { isSubtle: true }), spacing: 'None' });
      body.push({ type: 'Container', spacing: 'Small', separator: true, items });
    }
    if (d.raisedMore > 0)
      body.push(textBlock(t.reminders.digestRaisedMore(d.raisedMore), { isSubtle: true, spacing: 'Small' }));
    // Who has not reported is for coordinators' eyes: the channel gets counts per party.
    body.push(textBlock(t.reminders.digestMissing, { weight: 'Bolder', spacing: 'Medium' }));
    if (d.notReported.length === 0) body.push(textBlock(t.reminders.digestNoneMissing));
    else {
      body.push(
        textBlock(
          t.reminders.digestMissingCounts(
            d.notReported.map((p) => ({ party: isParty(p.party) ? t.party(p.party) : p.party, count: p.count })),
          ),
        ),
      );
      body.push(textBlock(t.reminders.digestWhoHint, { isSubtle: true, size: 'Small', spacing: 'None' }));
    }
    if (d.followUps && (d.followUps.unsigned.length > 0 || d.followUps.uncommunicated.length > 0)) {
      const f = t.followUpReport;
      body.push(textBlock(f.digest.title, { weight: 'Bolder', spacing: 'Medium' }));
      for (const u of d.followUps.unsigned)
        body.push(
          textBlock(
            f.digest.unsigned(
              f.period(u.period),
              u.missing.map((p) => t.party(p)),
            ),
            { spacing: 'Small' },
          ),
        );
      for (const p of d.followUps.uncommunicated)
        body.push(textBlock(f.digest.uncommunicated(f.period(p)), { spacing: 'Small' }));
    }
    body.push(...previousMinutesLines(t, d));
    if (d.leftOut > 0)
      body.push(textBlock(t.reminders.leftOut(d.leftOut), { isSubtle: true, size: 'Small', spacing: 'Medium' }));
    return {
      card: card(body, [
        execute(t.help.statusButton, Verbs.showStatus),
        execute(t.help.reportButton, Verbs.openReport),
      ]) as unknown as Record<string, unknown>,
    };
  }

  weeklySummary(w: WeeklySummary): OutgoingMessage {
    const t = this.t;
    const p = t.planning.weeklySummary;
    const body: CardElement[] = [
      heading(p.title(w.week)),
      textBlock(p.scope(w.agreement.municipality, w.from, w.to), { isSubtle: true, size: 'Small', spacing: 'None' }),
    ];
    if (w.activities.length === 0) body.push(textBlock(p.none));
    else {
      // Checked again on the way out: an activity whose texts fail the guard is left out.
      const shown = screenActivities(w.agreement.activities);
      const facts = w.activities.flatMap((a) => {
        const act = shown.kept.find((x) => x.id === a.activityId);
        const byParty = p.byParty(
          a.byParty.map((x) => ({ party: isParty(x.party) ? t.party(x.party) : x.party, count: x.count })),
        );
        const title = act ? act.wording : t.report.otherActivity;
        const value = act ? `${t.quantity(a.total, act)} (${byParty})` : `${t.number(a.total)} (${byParty})`;
        return act || !w.agreement.activities.some((x) => x.id === a.activityId) ? [{ title, value }] : [];
      });
      body.push({ type: 'FactSet', facts });
      body.push(textBlock(p.reports(w.reports), { isSubtle: true, size: 'Small' }));
      if (w.areas.length > 0) body.push(textBlock(p.areas(w.areas), { size: 'Small', spacing: 'None' }));
    }
    body.push(textBlock(p.footer, { isSubtle: true, size: 'Small', spacing: 'Medium' }));
    return {
      card: card(body, [execute(p.statusButton, Verbs.showStatus)]) as unknown as Record<string, unknown>,
    };
  }

  tertialSummary(view: StatusView, tertial: string): OutgoingMessage {
    const t = this.t;
    const p = parseTertial(tertial)!;
    // Checked again on the way out: an activity whose texts fail the guard is left out and counted.
    const shown = screenActivities(view.agreement.activities);
    const facts = view.status.activities
      .filter((s) => !s.isOther)
      .flatMap((s) => {
        const act = shown.kept.find((x) => x.id === s.activityId);
        return act
          ? [{ title: act.wording, value: t.reminders.tertialLine(s.counts.tertial, act, s.perTertialExpected) }]
          : [];
      });
    const body: CardElement[] = [
      heading(t.reminders.tertialTitle(p.tertial, String(p.year))),
      { type: 'FactSet', facts },
    ];
    if (shown.leftOut > 0)
      body.push(textBlock(t.reminders.leftOut(shown.leftOut), { isSubtle: true, size: 'Small', spacing: 'Medium' }));
    return {
      card: card(body, [execute(t.help.statusButton, Verbs.showStatus)]) as unknown as Record<string, unknown>,
    };
  }

  /** The draft in the channel; a narrative that fails today's privacy guard is not posted (checked again on the way out). */
  followUpDraft(view: FollowUpView): OutgoingMessage {
    const t = this.t;
    const document = {
      ...view.document,
      pledges: view.document.pledges.map((p) =>
        personalDataKinds([p.narrative]).length > 0 ? { ...p, narrative: '' } : p,
      ),
    };
    return {
      card: followUpCard(
        t,
        { ...view, document },
        {
          intro: t.followUpReport.channelPost.intro(t.followUpReport.period(view.stored.period)),
        },
      ) as unknown as Record<string, unknown>,
    };
  }

  /** The KF report's draft in the channel after a year and after the period; signed narratives only. */
  kfReport(report: KfReport): OutgoingMessage {
    const t = this.t;
    const span = report.document.period.key.replace('-', '–');
    return {
      card: kfReportCard(t, report, { intro: t.followUpReport.kf.channelIntro(span) }) as unknown as Record<
        string,
        unknown
      >,
    };
  }

  followUpCommunicate(agreement: Agreement, period: FollowUpPeriod, view: FollowUpView): OutgoingMessage {
    const t = this.t;
    return {
      card: followUpCard(t, view, {
        intro: t.followUpReport.reminder.communicate(t.followUpReport.period(period), agreement.municipality),
      }) as unknown as Record<string, unknown>,
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
