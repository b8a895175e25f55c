import type { CommunicationForm, FollowUpView, KfReport, NarrativeForm } from '../../app/follow-up-report.js';
import type { Agreement } from '../../domain/agreement.js';
import { localDateOf } from '../../domain/calendar.js';
import { COMMUNICATION_CHANNELS, MAX_NOTE_LENGTH, MAX_URL_LENGTH } from '../../domain/follow-up.js';
import type { FollowUpActivityOutcome, FollowUpDocument } from '../../domain/follow-up-document.js';
import { REPORTING_PARTIES } from '../../domain/party.js';
import type { Texts } from '../../texts/index.js';
import { card, execute, heading, plainText, textBlock, type AdaptiveCardJson, type CardElement } from './card.js';
import { Verbs } from '../verbs.js';

/**
 * The follow-up cards (issue #15): the draft per löfte (aktiviteter, utfall with sub-counts, mål
 * hittills, kommentar) with the approval buttons, the narrative card, the "Kommunicerat till
 * medborgarna" card and the KF report summary. Narratives and notes are the users' text: always in
 * a TextRun (never markdown).
 */

const subtle = (text: string): CardElement => textBlock(text, { isSubtle: true, size: 'Small', spacing: 'None' });
const attention = (text: string): CardElement => ({
  type: 'Container',
  style: 'attention',
  items: [textBlock(text)],
});
const good = (text: string): CardElement => ({ type: 'Container', style: 'good', items: [textBlock(text)] });

const idsOf = (doc: { agreementId: string; period: { key: string } }) => ({
  agreementId: doc.agreementId,
  periodKey: doc.period.key,
});

function quantity(t: Texts, agreement: Agreement, o: FollowUpActivityOutcome, n: number): string {
  const activity = agreement.activities.find((a) => a.id === o.activityId);
  return t.quantity(n, { unit: o.unit, unitSingular: activity?.unitSingular });
}

function targetText(t: Texts, o: FollowUpActivityOutcome): string {
  return o.target.kind === 'none'
    ? t.followUpReport.targetNone
    : t.followUpReport.targetWords(o.target.kind, o.target.count);
}

/** One activity's lines: wording (owner), outcome with sub-counts, year to date against the target to date. */
function activityLines(
  t: Texts,
  agreement: Agreement,
  doc: FollowUpDocument,
  o: FollowUpActivityOutcome,
): CardElement[] {
  const f = t.followUpReport;
  const subs = o.subcounts.filter((s) => s.count > 0).map((s) => f.subcount(s.count, s.name));
  const outcome = f.outcome(f.period(doc.period), quantity(t, agreement, o, o.periodCount));
  const ytd =
    o.targetToDate !== undefined
      ? `${f.yearToDate(doc.period.to.slice(0, 4), quantity(t, agreement, o, o.yearToDate))}, ${f.targetToDate(o.targetToDate, o.met === true)} · ${targetText(t, o)}`
      : `${f.yearToDate(doc.period.to.slice(0, 4), quantity(t, agreement, o, o.yearToDate))} · ${targetText(t, o)}`;
  return [
    textBlock(`**${o.wording}** ${f.owner(o.owner)}`, { spacing: 'Small' }),
    textBlock(subs.length > 0 ? `${outcome}, ${f.subcounts(subs)}` : outcome, { spacing: 'None' }),
    subtle(ytd),
  ];
}

function approvalLines(t: Texts, doc: FollowUpDocument): CardElement[] {
  const f = t.followUpReport;
  const lines: CardElement[] = doc.approvals.map((a) => subtle(f.approvedBy(a.party, localDateOf(new Date(a.at)))));
  const missing = REPORTING_PARTIES.filter((p) => !doc.approvals.some((a) => a.party === p));
  lines.push(doc.signed ? good(f.signed) : subtle(f.waitingFor(missing)));
  lines.push(
    subtle(
      doc.communications.length > 0
        ? f.communicated(doc.communications.map((c) => f.communicationLine(f.channelNames[c.channel], c.date)))
        : f.notCommunicated,
    ),
  );
  return lines;
}

/** The draft card: scope, one block per löfte, the approval state and the buttons. */
export function followUpCard(
  t: Texts,
  view: FollowUpView,
  opts: { notice?: string; intro?: string; noticeIsProblem?: boolean } = {},
): AdaptiveCardJson {
  const f = t.followUpReport;
  const doc = view.document;
  const ids = idsOf(doc);
  const body: CardElement[] = [];
  if (opts.intro) body.push(textBlock(opts.intro));
  if (opts.notice) body.push(opts.noticeIsProblem ? attention(opts.notice) : good(opts.notice));
  body.push(
    heading(f.title(f.period(doc.period), doc.municipality)),
    subtle(f.scope(doc.agreementPeriod, doc.policeArea, doc.period.from, doc.period.to)),
    subtle(f.revision(doc.revision, localDateOf(new Date(view.stored.revisionAt)))),
  );
  for (const pledge of doc.pledges) {
    const items: CardElement[] = [
      textBlock(`**${f.pledge(pledge.number)}.** ${pledge.wording}`, { weight: 'Bolder' }),
      ...pledge.activities.flatMap((o) => activityLines(t, view.agreement, doc, o)),
      textBlock(f.narrative, { weight: 'Bolder', size: 'Small', spacing: 'Small' }),
      pledge.narrative ? plainText(pledge.narrative) : subtle(f.noNarrative),
      {
        type: 'ActionSet',
        actions: [execute(f.writeNarrative, Verbs.followUpNarrative, { ...ids, pledge: pledge.number })],
      },
    ];
    body.push({ type: 'Container', separator: true, spacing: 'Medium', items });
  }
  body.push({ type: 'Container', separator: true, items: approvalLines(t, doc) });
  if (view.stale) body.push(attention(f.stale));
  body.push(subtle(f.frozenNote));
  const actions: CardElement[] = REPORTING_PARTIES.filter((p) => !doc.approvals.some((a) => a.party === p)).map((p) =>
    execute(f.approveFor(p), Verbs.followUpApprove, { ...ids, party: p, revision: doc.revision }),
  );
  if (view.stored.lastSigned) actions.push(execute(f.communicate, Verbs.followUpCommunication, ids));
  if (view.stale) actions.push(execute(f.refresh, Verbs.followUpRefresh, ids));
  actions.push(execute(f.documents, Verbs.followUpDocuments, ids));
  return card(body, actions);
}

/** The narrative card of one pledge; a refused text comes back as typed, with the reason. */
export function narrativeCard(t: Texts, form: NarrativeForm): AdaptiveCardJson {
  const n = t.followUpReport.narrativeCard;
  const body: CardElement[] = [heading(n.title(form.pledge.number, t.followUpReport.period(form.stored.period)))];
  if (form.error)
    body.push(
      attention(
        form.error.code === 'tooLong'
          ? n.tooLong(form.error.max)
          : n.personalData(form.error.kinds.map((k) => t.report.kindNames[k] ?? k)),
      ),
    );
  body.push(plainText(form.pledge.wording, { isSubtle: true }));
  if (form.fromFlagged) body.push(subtle(n.fromFlagged));
  if (form.leftOut > 0) body.push(subtle(n.leftOut(form.leftOut)));
  body.push(
    {
      type: 'Input.Text',
      id: 'narrative',
      label: n.label,
      placeholder: n.placeholder,
      isMultiline: true,
      // The server checks the length again; the field holds a little more so a too long text comes back whole.
      maxLength: 4000,
      value: form.text,
    },
    subtle(t.privacyNote),
  );
  return card(body, [
    execute(n.save, Verbs.followUpSaveNarrative, { ...idsOf(form.stored), pledge: form.pledge.number }),
  ]);
}

/** "Kommunicerat till medborgarna": channel, date, link and note; errors next to their fields. */
export function communicationCard(t: Texts, form: CommunicationForm): AdaptiveCardJson {
  const c = t.followUpReport.communicationCard;
  const errorsFor = (field: string): CardElement[] =>
    form.errors
      .filter((e) => e.field === field || (field === 'note' && e.code === 'personalData'))
      .map((e) =>
        textBlock(
          e.code === 'personalData'
            ? c.personalData(e.kinds.map((k) => t.report.kindNames[k] ?? k))
            : (c.errors[e.field]?.[e.code] ?? c.errorSummary),
          { color: 'Attention', size: 'Small', spacing: 'None' },
        ),
      );
  const v = form.values;
  const body: CardElement[] = [heading(c.title(t.followUpReport.period(form.stored.period)))];
  if (form.errors.length > 0) body.push(attention(c.errorSummary));
  body.push(
    textBlock(c.intro),
    {
      type: 'Input.ChoiceSet',
      id: 'channel',
      label: c.channel,
      style: 'compact',
      isRequired: true,
      errorMessage: c.errors.channel!.required,
      value: v.channel ?? '',
      choices: COMMUNICATION_CHANNELS.map((ch) => ({ title: t.followUpReport.channelNames[ch], value: ch })),
    },
    ...errorsFor('channel'),
    {
      type: 'Input.Date',
      id: 'date',
      label: c.date,
      isRequired: true,
      errorMessage: c.errors.date!.required,
      ...(/^\d{4}-\d{2}-\d{2}$/.test(v.date ?? '') ? { value: v.date } : {}),
    },
    ...errorsFor('date'),
    {
      type: 'Input.Text',
      id: 'url',
      label: c.url,
      placeholder: c.urlPlaceholder,
      style: 'Url',
      maxLength: MAX_URL_LENGTH + 100,
      value: v.url ?? '',
    },
    ...errorsFor('url'),
    {
      type: 'Input.Text',
      id: 'note',
      label: c.note,
      placeholder: c.notePlaceholder,
      isMultiline: true,
      maxLength: MAX_NOTE_LENGTH + 100,
      value: v.note ?? '',
    },
    ...errorsFor('note'),
    subtle(t.privacyNote),
  );
  return card(body, [execute(c.save, Verbs.followUpSaveCommunication, idsOf(form.stored))]);
}

/** The KF report: per löfte each activity's outcome against its target, and the signed narratives. */
export function kfReportCard(t: Texts, report: KfReport, opts: { intro?: string } = {}): AdaptiveCardJson {
  const f = t.followUpReport;
  const doc = report.document;
  const span = doc.period.key.replace('-', '–');
  const body: CardElement[] = [
    ...(opts.intro ? [textBlock(opts.intro)] : []),
    heading(f.kf.title(span, doc.municipality)),
    subtle(f.scope(doc.agreementPeriod, doc.policeArea, doc.period.from, doc.period.to)),
  ];
  for (const pledge of doc.pledges) {
    const items: CardElement[] = [textBlock(`**${f.pledge(pledge.number)}.** ${pledge.wording}`, { weight: 'Bolder' })];
    for (const o of pledge.activities) {
      const subs = o.subcounts.filter((s) => s.count > 0).map((s) => f.subcount(s.count, s.name));
      const total = f.kf.total(quantity(t, report.agreement, o, o.periodCount));
      items.push(
        textBlock(`**${o.wording}** ${f.owner(o.owner)}`, { spacing: 'Small' }),
        textBlock(
          [
            subs.length > 0 ? `${total}, ${f.subcounts(subs)}` : total,
            o.targetToDate !== undefined ? f.kf.against(o.targetToDate, o.met === true) : targetText(t, o),
          ].join(' · '),
          { spacing: 'None' },
        ),
      );
    }
    items.push(subtle(f.kf.signedNarratives(pledge.signedNarratives.length)));
    for (const s of pledge.signedNarratives) {
      items.push(
        textBlock(f.period({ kind: 'tertial', key: s.periodKey }), {
          size: 'Small',
          weight: 'Bolder',
          spacing: 'Small',
        }),
      );
      items.push(plainText(s.narrative));
    }
    body.push({ type: 'Container', separator: true, items });
  }
  if (report.unsigned.length > 0)
    body.push(attention(f.kf.unsigned(report.unsigned.map((k) => f.period({ kind: 'tertial', key: k })))));
  body.push(subtle(f.kf.note));
  return card(body, [
    execute(f.documents, Verbs.followUpDocuments, { agreementId: doc.agreementId, periodKey: doc.period.key }),
  ]);
}
