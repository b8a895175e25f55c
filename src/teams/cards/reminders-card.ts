import type { PlannedReminder, ReminderPlan } from '../../app/reminders.js';
import type { Texts } from '../../texts/index.js';
import { card, heading, textBlock, type AdaptiveCardJson, type CardElement } from './card.js';
import { Verbs } from '../verbs.js';
import { execute } from './card.js';

const MAX_PLANNED = 30;

function plannedText(t: Texts, p: PlannedReminder): string {
  const l = t.planning.planned;
  switch (p.kind) {
    case 'weekly':
      return l.weekly(p.week!, p.recipients ?? 0);
    case 'meetingDigest':
      return p.meeting
        ? l.digest(t.followUp.meetings.kindNames[p.meeting.kind], p.meeting.date, p.meeting.time)
        : (t.reminders.kinds.meetingDigest ?? p.kind);
    case 'tertialSummary':
      return l.tertial(p.tertial!);
    case 'periodWarning':
      return l.periodWarning(p.daysBefore ?? 0);
    case 'weeklySummary':
      return l.weeklySummary(p.week!);
    case 'followUpDraft':
      return l.followUpDraft(t.followUpReport.period(p.followUpPeriod!));
    case 'followUpCommunicate':
      return l.followUpCommunicate(t.followUpReport.period(p.followUpPeriod!));
    case 'kfReport':
      return l.kfReport(p.followUpPeriod!.key.replace('-', '–'));
  }
}

/**
 * `påminnelser` for coordinators: what the reminder policy plans in the next 14 days and what the
 * delivery ledger holds from the last 30, for the coordinator's municipality, every time in
 * Swedish time (Europe/Stockholm).
 */
export function remindersCard(t: Texts, plan: ReminderPlan): AdaptiveCardJson {
  const l = t.planning.planned;
  const body: CardElement[] = [
    heading(l.title),
    textBlock(l.scope(plan.agreement.municipality), { isSubtle: true, size: 'Small', spacing: 'None' }),
    textBlock(l.plannedHeading(plan.from, plan.to), { weight: 'Bolder', spacing: 'Medium' }),
  ];
  if (plan.planned.length === 0) body.push(textBlock(l.plannedEmpty));
  for (const p of plan.planned.slice(0, MAX_PLANNED)) {
    const note = p.kind !== 'weekly' && !p.toChannel ? ` (${l.noChannel})` : '';
    body.push({
      type: 'ColumnSet',
      spacing: 'Small',
      columns: [
        {
          type: 'Column',
          width: 'auto',
          items: [textBlock(l.at(p.dueAt), { weight: 'Bolder', size: 'Small' })],
        },
        { type: 'Column', width: 'stretch', items: [textBlock(`${plannedText(t, p)}${note}`, { size: 'Small' })] },
      ],
    });
  }
  if (plan.channelLinked && !plan.weeklySummaryOn)
    body.push(textBlock(l.weeklySummaryOff, { isSubtle: true, size: 'Small' }));

  body.push(textBlock(l.sentHeading, { weight: 'Bolder', spacing: 'Large' }));
  if (plan.sent.length === 0) body.push(textBlock(l.sentEmpty));
  for (const o of plan.sent) {
    const c = o.counts;
    const kind = t.reminders.kinds[o.kind] ?? l.kinds[o.kind] ?? o.kind;
    const items: CardElement[] = [
      textBlock(`${kind} · ${l.at(new Date(o.due))}`, { weight: 'Bolder', size: 'Small' }),
      textBlock(t.reminders.overviewLine(c.sent, c.skipped, c.failed, c.unknown, c.inProgress), {
        spacing: 'None',
        isSubtle: true,
        size: 'Small',
      }),
    ];
    for (const f of o.failures.slice(0, 5))
      items.push(textBlock(t.reminders.failure(f.reason), { spacing: 'None', size: 'Small', color: 'Attention' }));
    body.push({ type: 'Container', separator: true, items });
  }
  return card(body, [execute(t.followUp.meetings.listButton, Verbs.listMeetings)]);
}
