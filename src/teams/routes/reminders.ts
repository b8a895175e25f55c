import { remindersCard } from '../cards/reminders-card.js';
import { actorOf, messageCard, sendCard, textsOf, type RouteContext } from '../turn.js';

/**
 * `påminnelser` (coordinators): what is planned in the next 14 days, from the same reminder policy
 * that decides what is due, and what was sent, for the coordinator's municipality, in Swedish time.
 */
export function registerReminderRoutes({ deps, onCommand }: RouteContext): void {
  onCommand('reminders', async (context) => {
    const t = textsOf(context);
    const actor = await actorOf(context, deps);
    if (!actor.isCoordinator || !deps.reminderPlan) {
      await sendCard(context, messageCard(t.reminders.forbidden));
      return;
    }
    const plan = await deps.reminderPlan(actor.scope);
    if (!plan) {
      await sendCard(context, messageCard(t.followUp.meetings.noAgreement));
      return;
    }
    await sendCard(context, remindersCard(t, plan));
  });
}
