import type { Answer } from '../../app/questions.js';
import { parseIsoWeek } from '../../domain/calendar.js';
import { periodLabel } from '../../domain/agreement.js';
import type { Texts } from '../../texts/index.js';
import { Verbs } from '../verbs.js';
import { card, execute, heading, plainText, textBlock, type AdaptiveCardJson, type CardElement } from './card.js';
import { noAgreementCard, statusCard } from './status-card.js';
import { nextMeetingElements } from './follow-up-cards.js';

/** Every answer states the period and the date its figures are valid to. */
function footer(t: Texts, view: Extract<Answer, { view: unknown }>['view']): CardElement {
  const upTo = view.status.dataUpTo ? parseIsoWeek(view.status.dataUpTo) : undefined;
  const dataDate = upTo ? t.figures.dataUpTo(upTo.week, upTo.year) : t.figures.noData;
  return textBlock(`${t.answers.periodNote(periodLabel(view.agreement))} ${dataDate}`, { isSubtle: true, size: 'Small' });
}

export function answerCard(t: Texts, answer: Answer): AdaptiveCardJson {
  switch (answer.kind) {
    case 'status':
      return statusCard(t, answer.view, answer.pledgeNumber);
    case 'noAgreement':
      return noAgreementCard(t);
    case 'forbidden':
      return card([textBlock(t.answers.missingForbidden)]);
    case 'unknown':
      return card([textBlock(t.answers.examplesTitle), { type: 'FactSet', facts: t.unknown.examples.map((e) => ({ title: '•', value: e })) }], [execute(t.help.statusButton, Verbs.showStatus)]);
    case 'count': {
      const a = answer.view.agreement;
      const name = (id: string) => a.activities.find((x) => x.id === id);
      const what = answer.activityIds.length === 1 ? name(answer.activityIds[0]!)?.wording ?? answer.activityIds[0]! : answer.pledgeNumber !== undefined ? `${t.status.pledge(answer.pledgeNumber)}` : t.answers.allActivities;
      const facts = answer.perActivity.map((p) => ({ title: name(p.activityId)?.wording ?? p.activityId, value: `${p.count} ${name(p.activityId)?.unit ?? ''}`.trim() }));
      const body: CardElement[] = [heading(t.answers.countTitle(what, t.answers.window(answer.window)))];
      if (answer.activityIds.length === 1) {
        const act = name(answer.activityIds[0]!);
        body.push(textBlock(`**${answer.total} ${act?.unit ?? ''}**`, { size: 'ExtraLarge' }));
        if (act) body.push(textBlock(`${t.status.target}: ${t.targetLabel(act.target, act.unit)}`));
      } else {
        body.push({ type: 'FactSet', facts }, textBlock(t.answers.total(answer.total), { weight: 'Bolder' }));
      }
      body.push(footer(t, answer.view));
      return card(body);
    }
    case 'recent': {
      const a = answer.view.agreement;
      const where = [answer.area, answer.pledgeNumber !== undefined ? t.status.pledge(answer.pledgeNumber) : undefined].filter(Boolean).join(', ');
      const body: CardElement[] = [heading(t.answers.recentTitle(where))];
      if (answer.reports.length === 0) body.push(textBlock(t.answers.recentNone));
      for (const r of answer.reports) {
        const act = a.activities.find((x) => x.id === r.activityId);
        const items: CardElement[] = [textBlock(`${r.date} · ${r.area} · ${r.count} ${act?.unit ?? ''}`.trim(), { weight: 'Bolder' }), textBlock(act?.wording ?? t.report.otherActivity, { spacing: 'None', isSubtle: true })];
        if (r.description) items.push(plainText(r.description));
        body.push({ type: 'Container', separator: true, items });
      }
      if (answer.leftOut) body.push(textBlock(t.reminders.leftOut(answer.leftOut), { isSubtle: true, size: 'Small' }));
      body.push(footer(t, answer.view));
      return card(body);
    }
    case 'behind': {
      const a = answer.view.agreement;
      const body: CardElement[] = [heading(t.answers.behindTitle)];
      if (answer.activities.length === 0) body.push(textBlock(t.answers.behindNone));
      for (const s of answer.activities) {
        const act = a.activities.find((x) => x.id === s.activityId);
        body.push(textBlock(`${t.status.pledge(s.pledgeNumber)} · ${act?.wording ?? s.activityId}: ${t.figures.ofTarget(s.windowCount ?? 0, s.window?.target ?? s.target ?? 0, s.expectedByToday ?? 0)}`));
      }
      body.push(footer(t, answer.view));
      return card(body);
    }
    case 'missingReporters':
      return card([heading(t.answers.missingTitle(parseIsoWeek(answer.week)!.week)), textBlock(t.answers.missingLine(answer.missing.Polisen, answer.missing.Kommunen, answer.basis)), footer(t, answer.view)]);
    case 'nextMeeting':
      return card([...nextMeetingElements(t, answer.view.nextMeeting), footer(t, answer.view)], [execute(t.followUp.meetings.listButton, Verbs.listMeetings)]);
    case 'targets': {
      const a = answer.view.agreement;
      const facts = answer.activityIds.map((id) => a.activities.find((x) => x.id === id)).filter((x) => x !== undefined).map((act) => ({ title: `${t.status.pledge(act.pledgeNumber)} · ${act.wording}`, value: t.targetLabel(act.target, act.unit) }));
      return card([heading(t.answers.targetsTitle), { type: 'FactSet', facts }, footer(t, answer.view)]);
    }
  }
}
