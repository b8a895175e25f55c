import { escapeMarkdown } from '../../texts/format.js';
import { auditLogCard, exportSummaryCard } from '../cards/records-card.js';
import { actorOf, messageCard, sendCard, textsOf, type RouteContext } from '../turn.js';

/**
 * Coordinators' records commands: "exportera [id]" (what an export holds and how to get the file)
 * and "granskningslogg" (the newest audit entries). The files themselves are made on the server
 * (npm run export / npm run audit): the bot hands out no files, so no copy of the free text
 * escapes retention in a chat or a downloads folder.
 */
export function registerRecordsRoutes({ deps, onCommand }: RouteContext): void {
  onCommand('exportData', async (context, rest) => {
    const t = textsOf(context);
    const agreementId = rest.split(/\s+/)[0] || undefined;
    const result = await deps.exports.summary(await actorOf(context, deps), agreementId, context.activity.id);
    switch (result.kind) {
      case 'ok':
        return void (await sendCard(context, exportSummaryCard(t, result.summary, result.freeTextDays)));
      case 'forbidden':
        return void (await sendCard(context, messageCard(t.records.forbidden)));
      case 'notFound':
        return void (await sendCard(
          context,
          messageCard(t.records.export.notFound(escapeMarkdown((agreementId ?? '').slice(0, 80)), result.known)),
        ));
      case 'noAgreement':
        return void (await sendCard(context, messageCard(t.records.export.noAgreement)));
    }
  });

  onCommand('auditLog', async (context) => {
    const t = textsOf(context);
    const result = await deps.auditExports.recentAudit(await actorOf(context, deps), 20, context.activity.id);
    await sendCard(context, result.kind === 'ok' ? auditLogCard(t, result.entries) : messageCard(t.records.forbidden));
  });
}
