import { localDateOf } from '../domain/calendar.js';
import type {
  FollowUpActivityOutcome,
  FollowUpDocument,
  FollowUpPledge,
  FollowUpPeriod,
} from '../domain/follow-up-document.js';
import { REPORTING_PARTIES } from '../domain/party.js';
import { singularOf } from '../domain/units.js';
import type { Texts } from '../texts/index.js';
import { formatNumber, formatQuantity, type UnitForms } from '../texts/format.js';
import { guardComposition } from './guard.js';

/**
 * A FollowUpDocument turned into what the renderers write: every string already worded (from
 * src/texts) and every figure placed, so the Word, PDF and text renderers only lay it out. The
 * privacy guard runs over every string of the document and of the composition before any renderer
 * sees it.
 */

export interface ComposedActivity {
  wording: string;
  /** "(Polisen)". */
  owner: string;
  /** "Mål: minst 30 trafikkontroller per år". */
  target: string;
  /** The table row after the activity's cell (follow-up: period, year to date, target to date, met; KF: target, outcome, met). */
  cells: string[];
  /** The outcome as the police write it: "Tertial 2 2024: 71 trafikkontroller, 39 av dessa hastighet …". */
  line: string;
  met?: boolean;
  /** Figures for the charts. */
  chart: {
    label: string;
    value: number;
    /** The part of the target due by now (follow-up) or the whole target (KF). */
    mark?: number;
    /** The whole target of the year or period, when it differs from `mark`. */
    full?: number;
    trend: { label: string; count: number }[];
  };
}

export interface ComposedComment {
  /** "Tertial 1 2024" for a KF report's signed narratives; absent for the follow-up's own. */
  label?: string;
  text: string;
}

export interface ComposedPledge {
  heading: string;
  wording: string;
  activities: ComposedActivity[];
  comments: ComposedComment[];
  /** Shown when there is no comment. */
  noComment: string;
  commentHeading: string;
}

export interface ComposedDocument {
  kind: FollowUpDocument['kind'];
  title: string;
  scope: string;
  revision: string;
  /** Set while not both parties approved: a mark on every page. */
  draftMark?: string;
  signOff: { heading: string; state: string; lines: string[] };
  communications: { heading: string; lines: { text: string; url?: string; note?: string }[]; none: string };
  labels: {
    activities: string;
    outcome: string;
    columns: string[];
    chartAgainstTarget: string;
    chartTrend: string;
    chartValue: string;
    chartMark: string;
    chartFull: string;
    noTarget: string;
  };
  pledges: ComposedPledge[];
  footer: string;
  /** Without the extension. */
  fileName: (ext: string) => string;
  period: FollowUpPeriod;
}

const unitOf = (a: FollowUpActivityOutcome): UnitForms => ({
  unit: a.unit,
  unitSingular: singularOf(a.unit),
});

function fullTarget(a: FollowUpActivityOutcome): number | undefined {
  return a.target.kind === 'none' ? undefined : a.target.count;
}

export function composeDocument(doc: FollowUpDocument, texts: Texts): ComposedDocument {
  // Every text of the document, written or not (a follow-up's signedNarratives are not), and below
  // every text of the composition.
  guardComposition(doc);
  const t = texts.documents;
  const locale = texts.locale;
  const kf = doc.kind === 'kf-report';
  const period = t.period(doc.period);
  const trendLabels = (a: FollowUpActivityOutcome) =>
    a.trend.map((p) => ({ label: t.shortPeriod(p.key), count: p.count }));
  const metCell = (met: boolean | undefined) => (met === undefined ? t.met.none : met ? t.met.yes : t.met.no);
  const targetText = (a: FollowUpActivityOutcome) => texts.targetLabel(a.target, a.unit);

  const activity = (a: FollowUpActivityOutcome): ComposedActivity => {
    const unit = unitOf(a);
    const counts = t.counts(a.periodCount, unit, a.subcounts);
    const base = {
      wording: a.wording,
      owner: t.owner(texts.party(a.owner)),
      target: `${t.columns.target}: ${targetText(a)}`,
      ...(a.met !== undefined ? { met: a.met } : {}),
    };
    if (kf) {
      const full = fullTarget(a);
      return {
        ...base,
        cells: [targetText(a), formatQuantity(a.periodCount, unit, locale), metCell(a.met)],
        line: t.kfOutcomeLine({ period, counts, ...(a.met !== undefined ? { met: a.met } : {}) }),
        chart: {
          label: a.wording,
          value: a.periodCount,
          ...(full !== undefined ? { mark: markOfKf(a, doc.period) } : {}),
          trend: trendLabels(a),
        },
      };
    }
    return {
      ...base,
      cells: [
        formatNumber(a.periodCount, locale),
        formatNumber(a.yearToDate, locale),
        a.targetToDate === undefined ? t.met.none : formatNumber(round1(a.targetToDate), locale),
        metCell(a.met),
      ],
      line: t.outcomeLine({
        period,
        counts,
        yearToDate: formatQuantity(a.yearToDate, unit, locale),
        ...(a.targetToDate !== undefined
          ? { targetToDate: formatQuantity(round1(a.targetToDate), unit, locale), met: a.met ?? false }
          : {}),
      }),
      chart: {
        label: a.wording,
        value: a.yearToDate,
        ...(a.targetToDate !== undefined ? { mark: a.targetToDate } : {}),
        ...(fullTarget(a) !== undefined && fullTarget(a) !== a.targetToDate ? { full: fullTarget(a)! } : {}),
        trend: trendLabels(a),
      },
    };
  };

  const comments = (p: FollowUpPledge): ComposedComment[] => {
    if (!kf) return p.narrative.trim() ? [{ text: p.narrative.trim() }] : [];
    const signed = p.signedNarratives
      .filter((n) => n.narrative.trim())
      .map((n) => ({ label: t.commentOf(t.period({ kind: 'tertial', key: n.periodKey })), text: n.narrative.trim() }));
    return p.narrative.trim() ? [...signed, { label: t.kfSummary, text: p.narrative.trim() }] : signed;
  };

  const approvalDate = new Map(doc.approvals.map((a) => [a.party, localDateOf(new Date(a.at))]));
  const signOffLines = REPORTING_PARTIES.map((party) => {
    const date = approvalDate.get(party);
    return date ? t.approved(texts.party(party), date) : t.notApproved(texts.party(party));
  });

  const composed: ComposedDocument = {
    kind: doc.kind,
    period: doc.period,
    title: kf
      ? t.kfTitle(doc.municipality, doc.policeArea, doc.period)
      : t.title(doc.municipality, doc.policeArea, doc.period),
    scope: t.scope(doc.agreementPeriod, doc.period.from, doc.period.to),
    revision: t.revision(doc.revision),
    ...(doc.signed ? {} : { draftMark: t.draftMark }),
    signOff: { heading: t.signOff, state: doc.signed ? t.signed : t.notSigned, lines: signOffLines },
    communications: {
      heading: t.communicated,
      none: t.notCommunicated,
      lines: [...doc.communications]
        .sort((a, b) => a.date.localeCompare(b.date))
        .map((c) => ({
          text: t.communication(t.channel(c.channel), c.date),
          ...(c.url ? { url: c.url } : {}),
          ...(c.note ? { note: c.note } : {}),
        })),
    },
    labels: {
      activities: t.activities,
      outcome: t.outcome,
      columns: kf
        ? [t.columns.activity, t.columns.target, t.columns.kfOutcome(period), t.columns.kfMet]
        : [t.columns.activity, t.columns.period(period), t.columns.yearToDate, t.columns.targetToDate, t.columns.met],
      chartAgainstTarget: t.charts.againstTarget,
      chartTrend: t.charts.trend,
      chartValue: kf ? t.columns.kfOutcome(period) : t.charts.yearToDate,
      chartMark: kf ? t.columns.target : t.charts.targetToDate,
      chartFull: t.charts.target,
      noTarget: t.charts.noTarget,
    },
    pledges: [...doc.pledges]
      .sort((a, b) => a.number - b.number)
      .map((p) => ({
        heading: t.pledge(p.number),
        wording: p.wording,
        activities: p.activities.map(activity),
        comments: comments(p),
        noComment: kf ? t.kfNoComments : t.noComment,
        commentHeading: kf ? t.kfComments : t.comment,
      })),
    footer: t.footer(doc.generatedOn),
    fileName: (ext) => t.fileName(doc.municipality, doc.period, kf, ext),
  };
  guardComposition(composed);
  return composed;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** A KF report's target mark: the yearly target times the years covered, or the period's target. */
function markOfKf(a: FollowUpActivityOutcome, period: FollowUpPeriod): number | undefined {
  if (a.target.kind === 'none') return undefined;
  if (a.target.kind === 'perPeriod') return a.target.count;
  const years = Number(period.to.slice(0, 4)) - Number(period.from.slice(0, 4)) + 1;
  return a.target.count * Math.max(1, years);
}
