import type { Texts } from '../../texts/index.js';
import { Verbs } from '../verbs.js';
import { card, execute, heading, textBlock, type AdaptiveCardJson } from './card.js';

export function helpCard(t: Texts): AdaptiveCardJson {
  return card(
    [
      heading(t.help.title),
      { type: 'FactSet', facts: t.help.commands.map(([title, value]) => ({ title, value })) },
      textBlock(t.privacyNote, { isSubtle: true, size: 'Small' }),
    ],
    [execute(t.help.statusButton, Verbs.showStatus), execute(t.help.reportButton, Verbs.openReport)],
  );
}

export function welcomeCard(t: Texts, inTeam: boolean): AdaptiveCardJson {
  const body = [heading(t.welcome.title), textBlock(t.welcome.body), textBlock(t.welcome.start)];
  if (inTeam) body.push(textBlock(t.welcome.team));
  body.push(textBlock(t.privacyNote, { isSubtle: true, size: 'Small' }));
  const actions = [execute(t.help.statusButton, Verbs.showStatus), execute(t.help.reportButton, Verbs.openReport)];
  if (inTeam) actions.push(execute(t.followUp.channel.linkButton, Verbs.linkChannel));
  return card(body, actions);
}
