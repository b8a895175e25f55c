import { activitiesOfPledge } from '../../domain/agreement.js';
import { parseIsoWeek, parseTertial } from '../../domain/calendar.js';
import { worstLevel, type ActivityStatus } from '../../domain/status.js';
import type { StatusView } from '../../app/status.js';
import type { Texts } from '../../texts/index.js';
import { Verbs } from '../verbs.js';
import { card, execute, heading, textBlock, type AdaptiveCardJson, type CardElement } from './card.js';
import { followUpStatusLines } from './follow-up-cards.js';
import { overrideNote } from './status-admin-cards.js';

export type { StatusView };

const activityOf = (view: StatusView, id: string) => view.agreement.activities.find((a) => a.id === id);

function activityFacts(t: Texts, view: StatusView, s: ActivityStatus): { title: string; value: string }[] {
  const st = view.status;
  const unit = activityOf(view, s.activityId) ?? { unit: '' };
  const facts: { title: string; value: string }[] = [];
  if (s.target !== undefined && s.window) {
    facts.push({
      title: st.final
        ? t.figures.finalOutcome
        : s.window.kind === 'year'
          ? t.figures.thisYear(st.year)
          : t.figures.period,
      value: t.figures.ofTarget(s.windowCount ?? 0, s.window.target, s.expectedByToday ?? 0),
    });
  } else {
    facts.push({ title: t.figures.thisYear(st.year), value: t.quantity(s.counts.year, unit) });
    if (s.trend) facts.push({ title: t.figures.trend, value: t.trend[s.trend]! });
  }
  facts.push({
    title: t.figures.thisTertial(parseTertial(st.tertial)?.tertial ?? 1),
    value: t.quantity(s.counts.tertial, unit),
  });
  facts.push({ title: t.figures.thisWeek(parseIsoWeek(st.week)?.week ?? 0), value: t.quantity(s.counts.week, unit) });
  facts.push({ title: t.figures.period, value: t.quantity(s.counts.period, unit) });
  return facts;
}

/**
 * A chart of outcome against the pace expected by today, with a FactSet where charts do not render.
 * Counts are whole numbers, so the expected pace is rounded too, and the bars carry no axis: an
 * axis over small counts would show ticks such as 0,5.
 */
function paceChart(t: Texts, view: StatusView): CardElement | undefined {
  const rows = view.status.activities.filter((s) => s.target !== undefined);
  if (rows.length === 0) return undefined;
  const name = (id: string) => view.agreement.activities.find((a) => a.id === id)?.unit ?? id;
  const data = rows.flatMap((s) => [
    {
      x: `${t.status.pledge(s.pledgeNumber)} ${name(s.activityId)} – ${t.figures.outcome}`,
      y: Math.round(s.windowCount ?? 0),
    },
    {
      x: `${t.status.pledge(s.pledgeNumber)} ${name(s.activityId)} – ${t.figures.expected}`,
      y: Math.round(s.expectedByToday ?? 0),
    },
  ]);
  return {
    type: 'Chart.HorizontalBar',
    title: t.figures.chartTitle,
    displayMode: 'AbsoluteNoAxis',
    data,
    fallback: { type: 'FactSet', facts: data.map((d) => ({ title: d.x, value: t.number(d.y) })) },
  };
}

/**
 * An activity's headline figure: against its target ("10 av 15 insatser i år (13,1 väntat)"), or
 * this year's count when it has none ("12 ingripanden i år").
 */
export function headlineFigure(t: Texts, view: StatusView, s: ActivityStatus): string {
  const unit = activityOf(view, s.activityId) ?? { unit: '' };
  if (s.target !== undefined && s.window) {
    return t.figures.headline(
      s.windowCount ?? 0,
      s.window.target,
      s.expectedByToday ?? 0,
      unit,
      view.status.final ? 'final' : s.window.kind,
    );
  }
  return t.figures.countedYear([t.quantity(s.counts.year, unit)], view.status.final ? view.status.year : undefined);
}

/** Counts of activities without a target share a löfte's line up to this many characters. */
const MAX_COUNTS_CHARS = 50;

/**
 * A pledge's headline: the figure of the target-bearing activity that sets its level (the worst,
 * first in agreement order; the others are on its details), or this year's counts of its
 * activities when none has a target.
 */
export function pledgeHeadline(t: Texts, view: StatusView, pledgeNumber: number): string {
  const acts = view.status.activities.filter((a) => a.pledgeNumber === pledgeNumber && !a.isOther);
  const targeted = acts.filter((a) => a.target !== undefined);
  if (targeted.length > 0) {
    const worst = worstLevel(targeted.map((a) => a.effectiveLevel));
    return headlineFigure(t, view, targeted.find((a) => a.effectiveLevel === worst) ?? targeted[0]!);
  }
  if (acts.length === 0) return '';
  const all = acts.map((a) => t.quantity(a.counts.year, activityOf(view, a.activityId) ?? { unit: '' }));
  const shown = all.slice(0, 1);
  for (const q of all.slice(1)) {
    if ([...shown, q].join(', ').length > MAX_COUNTS_CHARS) break;
    shown.push(q);
  }
  const line = t.figures.countedYear(shown, view.status.final ? view.status.year : undefined);
  return acts.length > shown.length ? `${line} · ${t.figures.moreActivities(acts.length - shown.length)}` : line;
}

/**
 * The status card. By default the compact view that fits one screen: one line per löfte with its
 * level and headline figure and a **Visa detaljer** button, and **Visa allt** for the long view.
 * With `onlyPledge`, that löfte's details; with `full`, every löfte and activity with all figures.
 */
export function statusCard(t: Texts, view: StatusView, onlyPledge?: number, full = false): AdaptiveCardJson {
  return onlyPledge === undefined && !full ? buildCompactCard(t, view) : buildStatusCard(t, view, onlyPledge);
}

/** Above the löften: title, agreement, data date and, outside the period, a warning. */
function cardHead(t: Texts, view: StatusView, compact: boolean): CardElement[] {
  const a = view.agreement;
  const upTo = view.status.dataUpTo ? parseIsoWeek(view.status.dataUpTo) : undefined;
  const dataDate = upTo ? t.figures.dataUpTo(upTo.week, upTo.year) : t.figures.noData;
  const head: CardElement[] = [heading(t.status.title)];
  if (compact) {
    head.push(
      textBlock(`${t.status.agreementLine(a.municipality, a.policeArea, a.periodStart, a.periodEnd)} · ${dataDate}`, {
        isSubtle: true,
        spacing: 'None',
      }),
    );
  } else {
    head.push(
      textBlock(t.status.agreementLine(a.municipality, a.policeArea, a.periodStart, a.periodEnd), { weight: 'Bolder' }),
      textBlock(t.status.period(a.periodStart, a.periodEnd), { isSubtle: true, spacing: 'None' }),
      textBlock(dataDate, { isSubtle: true, spacing: 'None' }),
    );
  }
  return head;
}

function notInForceWarning(t: Texts, view: StatusView): CardElement | undefined {
  if (view.inForce) return undefined;
  const a = view.agreement;
  const msg = view.today > a.periodEnd ? t.status.expired(a.periodEnd) : t.status.notStarted(a.periodStart);
  return { type: 'Container', style: 'warning', items: [textBlock(msg)] };
}

/**
 * The view that fits one screen: the next meeting and the linked channel (a line each, when there
 * are), then per löfte one line (level and headline figure) and a button for its details. No chart,
 * no FactSet, no pledge wording: its size does not grow with the texts.
 */
function buildCompactCard(t: Texts, view: StatusView): AdaptiveCardJson {
  const body = cardHead(t, view, true);
  body.push(...followUpStatusLines(t, view));
  const warning = notInForceWarning(t, view);
  if (warning) body.push(warning);
  for (const pledge of [...view.agreement.pledges].sort((x, y) => x.number - y.number)) {
    const ps = view.status.pledges.find((p) => p.pledgeNumber === pledge.number);
    const level = `${t.levels[ps?.effectiveLevel ?? 'noTarget']}${ps?.override ? ` (${t.figures.setByCoordinator})` : ''}`;
    const figure = pledgeHeadline(t, view, pledge.number);
    body.push({
      type: 'ColumnSet',
      separator: true,
      spacing: 'Small',
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          verticalContentAlignment: 'Center',
          items: [textBlock(`**${t.status.pledge(pledge.number)}** · ${level}${figure ? ` · ${figure}` : ''}`)],
        },
        {
          type: 'Column',
          width: 'auto',
          verticalContentAlignment: 'Center',
          items: [
            {
              type: 'ActionSet',
              actions: [execute(t.figures.detailsButton, Verbs.showPledge, { pledgeNumber: pledge.number })],
            },
          ],
        },
      ],
    });
  }
  return card(body, [execute(t.help.reportButton, Verbs.openReport), execute(t.figures.showAll, Verbs.showAllStatus)]);
}

/** The long view (every löfte), or one löfte's details. */
function buildStatusCard(t: Texts, view: StatusView, onlyPledge?: number): AdaptiveCardJson {
  const a = view.agreement;
  const st = view.status;
  const body = cardHead(t, view, false);
  if (onlyPledge === undefined) body.push(...followUpStatusLines(t, view));
  const warning = notInForceWarning(t, view);
  if (warning) body.push(warning);
  const chart = onlyPledge === undefined ? paceChart(t, view) : undefined;
  if (chart) body.push(chart);

  for (const pledge of [...a.pledges]
    .sort((x, y) => x.number - y.number)
    .filter((p) => onlyPledge === undefined || p.number === onlyPledge)) {
    const ps = st.pledges.find((p) => p.pledgeNumber === pledge.number);
    const items: CardElement[] = [
      textBlock(`${t.status.pledge(pledge.number)} — ${t.levels[ps?.effectiveLevel ?? 'noTarget']}`, {
        weight: 'Bolder',
        size: 'Medium',
      }),
      textBlock(pledge.wording, { spacing: 'Small' }),
    ];
    if (ps?.override) items.push(overrideNote(t, view, ps.override, ps.computedLevel));
    for (const act of activitiesOfPledge(a, pledge.number)) {
      const s = st.activities.find((x) => x.activityId === act.id);
      const facts = [
        { title: t.status.owner, value: t.party(act.owner) },
        { title: t.status.target, value: t.targetLabel(act.target, act.unit) },
        ...(s ? activityFacts(t, view, s) : []),
      ];
      const level = s ? t.levels[s.effectiveLevel] : '';
      const block: CardElement[] = [
        textBlock(`${act.wording}${level ? ` · ${level}` : ''}`, { weight: 'Bolder', spacing: 'Small' }),
        { type: 'FactSet', spacing: 'None', facts },
      ];
      if (s?.override) block.push(overrideNote(t, view, s.override, s.computedLevel));
      items.push({ type: 'Container', spacing: 'Small', items: block });
    }
    const other = st.activities.find((x) => x.isOther && x.pledgeNumber === pledge.number);
    if (other && other.counts.period > 0) {
      items.push(
        textBlock(
          `${t.report.otherActivity}: ${t.figures.thisYear(st.year)} ${t.number(other.counts.year)} · ${t.figures.period} ${t.number(other.counts.period)}`,
          { isSubtle: true, size: 'Small' },
        ),
      );
    }
    body.push({ type: 'Container', separator: true, spacing: 'Medium', items });
  }
  // Back to the compact view; a button per löfte lives there (a card holds at most 5 actions).
  return card(body, [execute(t.help.reportButton, Verbs.openReport), execute(t.help.statusButton, Verbs.showStatus)]);
}

export function noAgreementCard(t: Texts): AdaptiveCardJson {
  return card([heading(t.status.title), textBlock(t.status.noAgreement)]);
}
