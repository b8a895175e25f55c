import { card, heading, textBlock, type CardElement } from '../cards/card.js';
import { actorOf, messageCard, sendCard, textsOf, type RouteContext } from '../turn.js';

/** `påminnelser`: what was sent, skipped and failed (coordinators). */
export function registerReminderRoutes({ deps, onCommand }: RouteContext): void {
  onCommand('reminders', async (context) => {
    const t = textsOf(context);
    const actor = await actorOf(context, deps);
    if (!actor.isCoordinator || !deps.delivery) {
      await sendCard(context, messageCard(t.reminders.forbidden));
      return;
    }
    const since = new Date(deps.clock.now().getTime() - 30 * 24 * 3600 * 1000).toISOString();
    const list = await deps.delivery.overview({ since, limit: 25 });
    const body: CardElement[] = [heading(t.reminders.overviewTitle)];
    if (list.length === 0) body.push(textBlock(t.reminders.overviewEmpty));
    for (const o of list) {
      const c = o.counts;
      const items: CardElement[] = [
        textBlock(`${t.reminders.kinds[o.kind] ?? o.kind} · ${o.due.slice(0, 16).replace('T', ' ')} UTC`, {
          weight: 'Bolder',
        }),
        textBlock(t.reminders.overviewLine(c.sent, c.skipped, c.failed, c.unknown, c.inProgress), {
          spacing: 'None',
          isSubtle: true,
        }),
      ];
      for (const f of o.failures.slice(0, 5))
        items.push(textBlock(t.reminders.failure(f.reason), { spacing: 'None', size: 'Small', color: 'Attention' }));
      body.push({ type: 'Container', separator: true, items });
    }
    await sendCard(context, card(body));
  });
}
