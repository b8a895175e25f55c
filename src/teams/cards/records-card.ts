import type { AuditEntry } from '../../app/audit.js';
import type { ExportSummary } from '../../app/export.js';
import { localDateOf, localTimeOf } from '../../domain/calendar.js';
import { escapeMarkdown, formatLocalDate } from '../../texts/format.js';
import type { Texts } from '../../texts/index.js';
import { card, heading, plainText, textBlock, type AdaptiveCardJson } from './card.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An AAD object id shortened to its first 8 characters: enough to tell people apart in a list. */
export function shortActor(id: string | undefined): string {
  if (!id) return '–';
  if (GUID.test(id)) return `${id.slice(0, 8)}…`;
  return id.length > 24 ? `${id.slice(0, 23)}…` : id;
}

/** What an export of the agreement contains, and how the operator produces the file. */
export function exportSummaryCard(t: Texts, summary: ExportSummary, freeTextDays: number): AdaptiveCardJson {
  const r = t.records.export;
  const a = summary.agreement;
  const id = a.id;
  return card([
    heading(r.title),
    textBlock(r.intro),
    {
      type: 'FactSet',
      facts: [
        { title: r.agreement, value: `${escapeMarkdown(a.municipality)} · ${escapeMarkdown(a.policeArea)} (${id})` },
        {
          title: r.period,
          value: `${formatLocalDate(a.periodStart, t.locale)} – ${formatLocalDate(a.periodEnd, t.locale)}`,
        },
        { title: r.reports, value: r.count(summary.reports) },
        { title: r.withdrawn, value: r.count(summary.withdrawn) },
        { title: r.withFreeText, value: r.count(summary.withFreeText) },
        { title: r.purged, value: r.count(summary.purged) },
        { title: r.dates, value: r.range(summary.firstDate, summary.lastDate) },
      ],
    },
    textBlock(r.retention(freeTextDays), { isSubtle: true }),
    textBlock(r.contents),
    textBlock(r.howTitle, { weight: 'Bolder', spacing: 'Medium' }),
    textBlock(r.how),
    plainText(`npm run export -- ${id} --format csv --out ${id}.csv`, { fontType: 'Monospace' }),
    plainText(`npm run export -- ${id} --format json --out ${id}.json`, { fontType: 'Monospace' }),
  ]);
}

/** The newest audit entries: time, what, outcome and a shortened actor id; never the detail. */
export function auditLogCard(t: Texts, entries: AuditEntry[]): AdaptiveCardJson {
  const r = t.records.audit;
  if (entries.length === 0) return card([heading(r.title), textBlock(r.empty)]);
  const facts = entries.map((e) => {
    const at = new Date(e.at);
    const when = Number.isNaN(at.getTime()) ? e.at : r.when(localDateOf(at), localTimeOf(at));
    const line = r.line(r.actions[e.action] ?? e.action, r.outcomes[e.outcome] ?? e.outcome, shortActor(e.actor?.id));
    return { title: escapeMarkdown(when), value: escapeMarkdown(line) };
  });
  return card([
    heading(r.title),
    textBlock(r.subtitle(entries.length), { isSubtle: true }),
    { type: 'FactSet', facts },
  ]);
}
