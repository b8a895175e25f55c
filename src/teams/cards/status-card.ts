import { activitiesOfPledge, type Agreement } from '../../domain/agreement.js';
import type { Texts } from '../../texts/index.js';
import { Verbs } from '../verbs.js';
import { card, execute, heading, textBlock, type AdaptiveCardJson, type CardElement } from './card.js';

export interface StatusView {
  agreement: Agreement;
  inForce: boolean;
  today: string;
}

/** The agreement's pledges and activities with owners and targets. */
export function statusCard(t: Texts, view: StatusView): AdaptiveCardJson {
  const a = view.agreement;
  const body: CardElement[] = [
    heading(t.status.title),
    textBlock(t.status.agreementLine(a.municipality, a.policeArea, a.periodStart, a.periodEnd), { weight: 'Bolder' }),
    textBlock(t.status.period(a.periodStart, a.periodEnd), { isSubtle: true, spacing: 'None' }),
  ];
  if (!view.inForce) {
    const msg = view.today > a.periodEnd ? t.status.expired(a.periodEnd) : t.status.notStarted(a.periodStart);
    body.push({ type: 'Container', style: 'warning', items: [textBlock(msg)] });
  }
  for (const pledge of [...a.pledges].sort((x, y) => x.number - y.number)) {
    const items: CardElement[] = [
      textBlock(`${t.status.pledge(pledge.number)}`, { weight: 'Bolder', size: 'Medium' }),
      textBlock(pledge.wording, { spacing: 'Small' }),
    ];
    for (const act of activitiesOfPledge(a, pledge.number)) {
      items.push({
        type: 'Container',
        spacing: 'Small',
        items: [
          textBlock(act.wording, { weight: 'Bolder', spacing: 'Small' }),
          {
            type: 'FactSet',
            spacing: 'None',
            facts: [
              { title: t.status.owner, value: t.party(act.owner) },
              { title: t.status.target, value: t.targetLabel(act.target, act.unit) },
            ],
          },
        ],
      });
    }
    body.push({ type: 'Container', separator: true, spacing: 'Medium', items });
  }
  return card(body, [execute(t.help.reportButton, Verbs.openReport)]);
}

export function noAgreementCard(t: Texts): AdaptiveCardJson {
  return card([heading(t.status.title), textBlock(t.status.noAgreement)]);
}
