import { activitiesOfPledge } from '../../domain/agreement.js';
import { parseIsoWeek, parseTertial } from '../../domain/calendar.js';
import type { ActivityStatus } from '../../domain/status.js';
import type { StatusView } from '../../app/status.js';
import type { Texts } from '../../texts/index.js';
import { Verbs } from '../verbs.js';
import { card, execute, heading, textBlock, type AdaptiveCardJson, type CardElement } from './card.js';
import { followUpStatusLines } from './follow-up-cards.js';
import { overrideNote } from './status-admin-cards.js';

export type { StatusView };

function activityFacts(t: Texts, view: StatusView, s: ActivityStatus): { title: string; value: string }[] {
  const st = view.status;
  const facts: { title: string; value: string }[] = [];
  if (s.target !== undefined && s.window) {
    facts.push({ title: st.final ? t.figures.finalOutcome : s.window.kind === 'year' ? t.figures.thisYear(st.year) : t.figures.period, value: t.figures.ofTarget(s.windowCount ?? 0, s.window.target, s.expectedByToday ?? 0) });
  } else {
    facts.push({ title: t.figures.thisYear(st.year), value: String(s.counts.year) });
    if (s.trend) facts.push({ title: t.figures.trend, value: t.trend[s.trend]! });
  }
  facts.push({ title: t.figures.thisTertial(parseTertial(st.tertial)?.tertial ?? 1), value: String(s.counts.tertial) });
  facts.push({ title: t.figures.thisWeek(parseIsoWeek(st.week)?.week ?? 0), value: String(s.counts.week) });
  facts.push({ title: t.figures.period, value: String(s.counts.period) });
  return facts;
}

/** A chart of outcome against the pace expected by today, with a FactSet where charts do not render. */
function paceChart(t: Texts, view: StatusView): CardElement | undefined {
  const rows = view.status.activities.filter((s) => s.target !== undefined);
  if (rows.length === 0) return undefined;
  const name = (id: string) => view.agreement.activities.find((a) => a.id === id)?.unit ?? id;
  const data = rows.flatMap((s) => [
    { x: `${t.status.pledge(s.pledgeNumber)} ${name(s.activityId)} – ${t.figures.outcome}`, y: s.windowCount ?? 0 },
    { x: `${t.status.pledge(s.pledgeNumber)} ${name(s.activityId)} – ${t.figures.expected}`, y: Math.round((s.expectedByToday ?? 0) * 10) / 10 },
  ]);
  return {
    type: 'Chart.HorizontalBar',
    title: t.figures.chartTitle,
    data,
    fallback: { type: 'FactSet', facts: data.map((d) => ({ title: d.x, value: String(d.y) })) },
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * The last cards built, by what they are built from. A status card is the same for every "status"
 * until a report, an override, a meeting, the channel link or the date changes, and building it is
 * a good part of that turn. The agreement (frozen by the store) and the computed status (kept by
 * StatusService until its inputs change) are compared by identity, every other field of the view
 * by value.
 * A kept card is frozen: it is sent as it is, never changed.
 */
interface BuiltCard {
  t: Texts;
  agreement: StatusView['agreement'];
  status: StatusView['status'];
  rest: string;
  card: AdaptiveCardJson;
}
const builtCards: BuiltCard[] = [];
const MAX_BUILT_CARDS = 8;

/** The agreement's pledges and activities with owners, targets, counts and status. */
export function statusCard(t: Texts, view: StatusView, onlyPledge?: number): AdaptiveCardJson {
  // Only an agreement that cannot change under the key (the store's) is compared by identity.
  if (!Object.isFrozen(view.agreement)) return buildStatusCard(t, view, onlyPledge);
  // Every other field of the view, whatever fields it gains later.
  const { agreement: _agreement, status: _status, ...others } = view;
  const rest = JSON.stringify([others, onlyPledge ?? null]);
  const known = builtCards.find((b) => b.t === t && b.agreement === view.agreement && b.status === view.status && b.rest === rest);
  if (known) return known.card;
  const card = deepFreeze(buildStatusCard(t, view, onlyPledge));
  builtCards.unshift({ t, agreement: view.agreement, status: view.status, rest, card });
  builtCards.length = Math.min(builtCards.length, MAX_BUILT_CARDS);
  return card;
}

function buildStatusCard(t: Texts, view: StatusView, onlyPledge?: number): AdaptiveCardJson {
  const a = view.agreement;
  const st = view.status;
  const body: CardElement[] = [
    heading(t.status.title),
    textBlock(t.status.agreementLine(a.municipality, a.policeArea, a.periodStart, a.periodEnd), { weight: 'Bolder' }),
    textBlock(t.status.period(a.periodStart, a.periodEnd), { isSubtle: true, spacing: 'None' }),
  ];
  const upTo = st.dataUpTo ? parseIsoWeek(st.dataUpTo) : undefined;
  body.push(textBlock(upTo ? t.figures.dataUpTo(upTo.week, upTo.year) : t.figures.noData, { isSubtle: true, spacing: 'None' }));
  if (onlyPledge === undefined) body.push(...followUpStatusLines(t, view));
  if (!view.inForce) {
    const msg = view.today > a.periodEnd ? t.status.expired(a.periodEnd) : t.status.notStarted(a.periodStart);
    body.push({ type: 'Container', style: 'warning', items: [textBlock(msg)] });
  }
  const chart = onlyPledge === undefined ? paceChart(t, view) : undefined;
  if (chart) body.push(chart);

  for (const pledge of [...a.pledges].sort((x, y) => x.number - y.number).filter((p) => onlyPledge === undefined || p.number === onlyPledge)) {
    const ps = st.pledges.find((p) => p.pledgeNumber === pledge.number);
    const items: CardElement[] = [
      textBlock(`${t.status.pledge(pledge.number)} — ${t.levels[ps?.effectiveLevel ?? 'noTarget']}`, { weight: 'Bolder', size: 'Medium' }),
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
      const block: CardElement[] = [textBlock(`${act.wording}${level ? ` · ${level}` : ''}`, { weight: 'Bolder', spacing: 'Small' }), { type: 'FactSet', spacing: 'None', facts }];
      if (s?.override) block.push(overrideNote(t, view, s.override, s.computedLevel));
      items.push({ type: 'Container', spacing: 'Small', items: block });
    }
    const other = st.activities.find((x) => x.isOther && x.pledgeNumber === pledge.number);
    if (other && other.counts.period > 0) {
      items.push(textBlock(`${t.report.otherActivity}: ${t.figures.thisYear(st.year)} ${other.counts.year} · ${t.figures.period} ${other.counts.period}`, { isSubtle: true, size: 'Small' }));
    }
    body.push({ type: 'Container', separator: true, spacing: 'Medium', items });
  }
  const actions = [execute(t.help.reportButton, Verbs.openReport)];
  if (onlyPledge === undefined) for (const p of a.pledges) actions.push(execute(`${t.figures.details} ${p.number}`, Verbs.showPledge, { pledgeNumber: p.number }));
  else actions.push(execute(t.help.statusButton, Verbs.showStatus));
  return card(body, actions);
}

export function noAgreementCard(t: Texts): AdaptiveCardJson {
  return card([heading(t.status.title), textBlock(t.status.noAgreement)]);
}
