import type { Answer, AnswerScope } from '../../app/questions.js';
import { parseIsoWeek } from '../../domain/calendar.js';
import { periodLabel, type Agreement } from '../../domain/agreement.js';
import { REPORTING_PARTIES, type ReportingParty } from '../../domain/party.js';
import type { Window } from '../../domain/questions/index.js';
import type { WeeklyReport } from '../../domain/report.js';
import type { Texts } from '../../texts/index.js';
import { formatNumber, formatQuantity } from '../../texts/format.js';
import { Verbs } from '../verbs.js';
import { card, execute, heading, plainText, textBlock, type AdaptiveCardJson, type CardElement } from './card.js';
import { noAgreementCard, statusCard } from './status-card.js';
import { nextMeetingElements } from './follow-up-cards.js';

type View = Extract<Answer, { view: unknown }>['view'];

/** Every answer states the period and the date its figures are valid to. */
function footer(t: Texts, view: View): CardElement {
  const upTo = view.status.dataUpTo ? parseIsoWeek(view.status.dataUpTo) : undefined;
  const dataDate = upTo ? t.figures.dataUpTo(upTo.week, upTo.year) : t.figures.noData;
  return textBlock(`${t.answers.periodNote(periodLabel(view.agreement))} ${dataDate}`, {
    isSubtle: true,
    size: 'Small',
  });
}

const activityOf = (a: Agreement, id: string) => a.activities.find((x) => x.id === id);
const nameOf = (t: Texts, a: Agreement, id: string): string => {
  const other = /^ovrigt-lofte-(\d+)$/.exec(id);
  return (
    activityOf(a, id)?.wording ?? (other ? `${t.report.otherActivity} (${t.status.pledge(Number(other[1]))})` : id)
  );
};

/** What the answer counts: one activity's wording, a pledge, the named activities, or all of them. */
function whatOf(t: Texts, a: Agreement, scope: AnswerScope): string {
  if (scope.activityIds.length === 1) return nameOf(t, a, scope.activityIds[0]!);
  if (scope.activityIds.length > 1) return scope.activityIds.map((id) => nameOf(t, a, id)).join(', ');
  if (scope.pledgeNumber !== undefined) return t.status.pledge(scope.pledgeNumber);
  return t.answers.allActivities;
}

const windowText = (t: Texts, a: Agreement, w: Window): string => t.answers.window(w, periodLabel(a));

/** The scope line: what · when · who · where · age band. */
export function scopeLine(t: Texts, a: Agreement, scope: AnswerScope, extra?: string): string {
  return t.answers.scope([
    whatOf(t, a, scope),
    scope.window ? windowText(t, a, scope.window) : undefined,
    scope.party ? t.party(scope.party) : undefined,
    scope.area,
    scope.ageBand ? t.answers.ageBand(scope.ageBand) : undefined,
    extra,
  ]);
}

/** A count with the unit of its activity when it has exactly one, else a bare number. */
function quantity(t: Texts, a: Agreement, ids: readonly string[], n: number, people: boolean): string {
  if (people) return formatQuantity(n, t.answers.ageBandPeople, t.locale);
  const act = ids.length === 1 ? activityOf(a, ids[0]!) : undefined;
  return act ? formatQuantity(n, act, t.locale) : formatNumber(n, t.locale);
}

function reportItem(t: Texts, a: Agreement, r: Readonly<WeeklyReport>): CardElement {
  const act = activityOf(a, r.activityId);
  const count = act ? formatQuantity(r.count, act, t.locale) : formatNumber(r.count, t.locale);
  const items: CardElement[] = [
    textBlock(`${r.date} · ${t.party(r.party)} · ${r.area} · ${count}`, { weight: 'Bolder' }),
    textBlock(act?.wording ?? t.report.otherActivity, { spacing: 'None', isSubtle: true }),
  ];
  if (r.description) items.push(plainText(r.description));
  return { type: 'Container', separator: true, items };
}

function perActivityFacts(
  t: Texts,
  a: Agreement,
  rows: { activityId: string; count: number }[],
  people: boolean,
): CardElement {
  return {
    type: 'FactSet',
    facts: rows.map((p) => ({
      title: nameOf(t, a, p.activityId),
      value: quantity(t, a, [p.activityId], p.count, people),
    })),
  };
}

export function answerCard(t: Texts, answer: Answer): AdaptiveCardJson {
  switch (answer.kind) {
    case 'status':
      return statusCard(t, answer.view, answer.pledgeNumber);
    case 'noAgreement':
      return noAgreementCard(t);
    case 'forbidden':
      return card([textBlock(t.answers.missingForbidden)]);
    case 'unknown': {
      const lead =
        answer.notUnderstood && answer.notUnderstood.length > 0
          ? t.answers.notUnderstood(answer.notUnderstood)
          : t.answers.examplesTitle;
      return card(
        [textBlock(lead), { type: 'FactSet', facts: t.unknown.examples.map((e) => ({ title: '•', value: e })) }],
        [execute(t.help.statusButton, Verbs.showStatus)],
      );
    }
    case 'outOfRange': {
      const a = answer.view.agreement;
      const w = windowText(t, a, answer.window);
      return card([
        textBlock(answer.reason === 'future' ? t.answers.future(w) : t.answers.outsidePeriod(w, periodLabel(a))),
        footer(t, answer.view),
      ]);
    }
    case 'count': {
      const a = answer.view.agreement;
      const people = answer.scope.ageBand !== undefined || answer.groupBy === 'ageBand';
      const ids = answer.perActivity.map((p) => p.activityId);
      const group =
        answer.groupBy === 'area'
          ? t.answers.perArea
          : answer.groupBy === 'party'
            ? t.answers.perParty
            : answer.groupBy === 'ageBand'
              ? t.answers.perAgeBand
              : undefined;
      const body: CardElement[] = [
        heading(scopeLine(t, a, answer.scope, group)),
        textBlock(`**${quantity(t, a, ids, answer.total, people)}**`, { size: 'ExtraLarge' }),
      ];
      if (answer.groups) {
        const label = (key: string) =>
          answer.groupBy === 'party'
            ? t.party(key as ReportingParty)
            : answer.groupBy === 'ageBand'
              ? t.answers.ageBand(key)
              : key;
        body.push({
          type: 'FactSet',
          facts: answer.groups.map((g) => ({ title: label(g.key), value: quantity(t, a, ids, g.count, people) })),
        });
      } else if (ids.length > 1) {
        body.push(
          perActivityFacts(t, a, answer.perActivity, people),
          textBlock(t.answers.total(answer.total), { weight: 'Bolder' }),
        );
      } else if (ids.length === 1 && !people) {
        const act = activityOf(a, ids[0]!);
        if (act) body.push(textBlock(`${t.status.target}: ${t.targetLabel(act.target, act.unit)}`));
      }
      body.push(footer(t, answer.view));
      return card(body);
    }
    case 'summary': {
      const a = answer.view.agreement;
      const body: CardElement[] = [
        heading(`${t.answers.summaryTitle}: ${scopeLine(t, a, answer.scope)}`),
        textBlock(`${t.answers.total(answer.total)} · ${t.answers.summaryReports(answer.reportCount)}`, {
          weight: 'Bolder',
        }),
      ];
      const nonZero = answer.perActivity.filter((p) => p.count > 0);
      if (nonZero.length > 0) body.push(perActivityFacts(t, a, nonZero, false));
      if (answer.latest.length === 0) body.push(textBlock(t.answers.summaryNone));
      else {
        body.push(textBlock(t.answers.summaryLatest, { weight: 'Bolder', spacing: 'Medium' }));
        for (const r of answer.latest) body.push(reportItem(t, a, r));
      }
      body.push(...leftOutNote(t, answer.leftOut));
      body.push(footer(t, answer.view));
      return card(body);
    }
    case 'recent': {
      const a = answer.view.agreement;
      const s = answer.scope;
      const what = s.activityIds.length > 0 || s.pledgeNumber !== undefined ? whatOf(t, a, s) : undefined;
      const body: CardElement[] = [
        heading(t.answers.recentTitle(t.answers.scope([what, s.party ? t.party(s.party) : undefined, s.area]))),
      ];
      if (answer.reports.length === 0) body.push(textBlock(t.answers.recentNone));
      for (const r of answer.reports) body.push(reportItem(t, a, r));
      body.push(...leftOutNote(t, answer.leftOut));
      body.push(footer(t, answer.view));
      return card(body);
    }
    case 'goal': {
      const a = answer.view.agreement;
      const body: CardElement[] = [heading(`${t.answers.goalTitle}: ${whatOf(t, a, answer.scope)}`)];
      if (answer.goals.length === 0) body.push(textBlock(t.answers.goalNone));
      for (const g of answer.goals) {
        const act = activityOf(a, g.activityId)!;
        const items: CardElement[] = [
          textBlock(
            `${t.status.pledge(g.pledgeNumber)} · ${act.wording} · ${t.answers.goalWindow(g.window.kind, g.window.from, g.window.to)} · ${t.levels[g.level] ?? g.level}`,
            { weight: 'Bolder' },
          ),
          textBlock(t.answers.goalLine(formatQuantity(g.count, act, t.locale), g.target, g.reached, g.over), {
            spacing: 'None',
          }),
        ];
        if (!g.reached && !g.over)
          items.push(
            textBlock(
              `${t.answers.goalRemaining(g.remaining, g.weeksLeft, g.perWeekNeeded)} ${t.answers.goalExpected(g.expectedByToday)}`,
              { spacing: 'None' },
            ),
          );
        body.push({ type: 'Container', separator: true, items });
      }
      body.push(footer(t, answer.view));
      return card(body);
    }
    case 'reports': {
      const a = answer.view.agreement;
      const scope = t.answers.scope([
        t.answers.reportsTitle,
        windowText(t, a, answer.scope.window),
        answer.scope.party ? t.party(answer.scope.party) : undefined,
      ]);
      const body: CardElement[] = [heading(`${scope}: ${t.answers.reportsLine(answer.reports, answer.reporters)}`)];
      if (!answer.scope.party)
        body.push({
          type: 'FactSet',
          facts: answer.perParty.map((p) => ({
            title: t.party(p.party),
            value: t.answers.reportsLine(p.reports, p.reporters),
          })),
        });
      body.push(footer(t, answer.view));
      return card(body);
    }
    case 'compare': {
      const a = answer.view.agreement;
      const now = windowText(t, a, answer.scope.window);
      const before = windowText(t, a, answer.previous);
      const body: CardElement[] = [
        heading(
          `${t.answers.compareTitle}: ${t.answers.scope([whatOf(t, a, answer.scope), answer.scope.party ? t.party(answer.scope.party) : undefined, answer.scope.area])}`,
        ),
        textBlock(t.answers.compareLine(now, before, answer.total, answer.previousTotal), { weight: 'Bolder' }),
      ];
      if (answer.perActivity.length > 1) {
        body.push({
          type: 'FactSet',
          facts: answer.perActivity
            .filter((p) => p.count > 0 || p.previous > 0)
            .map((p) => ({
              title: nameOf(t, a, p.activityId),
              value: `${formatNumber(p.count, t.locale)} · ${formatNumber(p.previous, t.locale)}`,
            })),
        });
      }
      body.push(footer(t, answer.view));
      return card(body);
    }
    case 'behind': {
      const a = answer.view.agreement;
      const body: CardElement[] = [heading(t.answers.behindTitle)];
      if (answer.activities.length === 0) body.push(textBlock(t.answers.behindNone));
      for (const s of answer.activities) {
        body.push(
          textBlock(
            `${t.levels[s.effectiveLevel] ?? s.effectiveLevel} · ${t.status.pledge(s.pledgeNumber)} · ${nameOf(t, a, s.activityId)}: ${t.figures.ofTarget(s.windowCount ?? 0, s.window?.target ?? s.target ?? 0, s.expectedByToday ?? 0)}`,
          ),
        );
      }
      body.push(footer(t, answer.view));
      return card(body);
    }
    case 'missingReporters': {
      const wk = parseIsoWeek(answer.week)!;
      const body: CardElement[] = [
        heading(t.answers.missingTitle(wk.week, wk.year)),
        textBlock(
          t.answers.missingLine(answer.missing.Polisen, answer.missing.Kommunen, answer.basis, answer.thisWeek),
        ),
      ];
      if (answer.names) {
        for (const party of REPORTING_PARTIES)
          if (answer.names[party].length > 0)
            body.push(plainText(t.answers.missingNames(t.party(party), answer.names[party])));
      }
      body.push(footer(t, answer.view));
      return card(body);
    }
    case 'nextMeeting':
      return card(
        [...nextMeetingElements(t, answer.view.nextMeeting), footer(t, answer.view)],
        [execute(t.followUp.meetings.listButton, Verbs.listMeetings)],
      );
    case 'raise': {
      const a = answer.view.agreement;
      const body: CardElement[] = [heading(t.answers.raiseTitle), ...nextMeetingElements(t, answer.view.nextMeeting)];
      if (answer.view.nextMeeting && !answer.view.nextMeeting.agenda)
        body.push(textBlock(t.answers.raiseNoAgenda, { isSubtle: true }));
      body.push(
        textBlock(answer.since ? t.answers.raiseSince(answer.since) : t.answers.raiseAll, {
          weight: 'Bolder',
          spacing: 'Medium',
        }),
      );
      if (answer.flagged.length === 0) body.push(textBlock(t.answers.raiseNone));
      for (const r of answer.flagged) body.push(reportItem(t, a, r));
      body.push(...leftOutNote(t, answer.leftOut));
      body.push(footer(t, answer.view));
      return card(body);
    }
    case 'targets': {
      const a = answer.view.agreement;
      const facts = answer.activityIds
        .map((id) => activityOf(a, id))
        .filter((x) => x !== undefined)
        .map((act) => ({
          title: `${t.status.pledge(act.pledgeNumber)} · ${act.wording}`,
          value: t.targetLabel(act.target, act.unit),
        }));
      return card([heading(t.answers.targetsTitle), { type: 'FactSet', facts }, footer(t, answer.view)]);
    }
  }
}

/** "1 uppgift utelämnades …": quoted reports that failed the privacy guard, counted, never shown. */
function leftOutNote(t: Texts, leftOut: number): CardElement[] {
  return leftOut > 0 ? [textBlock(t.reminders.leftOut(leftOut), { isSubtle: true, size: 'Small' })] : [];
}
