import type { ScopeInfo } from '../../domain/scope.js';
import type { Texts } from '../../texts/index.js';
import { Verbs } from '../verbs.js';
import { card, execute, heading, textBlock, type AdaptiveCardJson } from './card.js';

/** More choices than this: the drop-down filters as the person types (Teams' typeahead). */
export const FILTERED_FROM = 12;

/**
 * "Vilken kommun gäller det?": the municipalities this person may choose, as one drop-down (a
 * regional reader may have hundreds: then one that filters as they type), in alphabetical order.
 * The server checks the choice again.
 */
export function scopeChoiceCard(
  t: Texts,
  choices: readonly ScopeInfo[],
  options: { shared: boolean; current?: ScopeInfo },
): AdaptiveCardJson {
  const s = t.scopes;
  const sorted = [...choices].sort((a, b) => a.municipality.localeCompare(b.municipality, 'sv'));
  const body = [heading(s.chooseTitle), textBlock(options.shared ? s.chooseChannel : s.chooseIntro)];
  if (options.current) body.push(textBlock(s.current(options.current.municipality), { isSubtle: true }));
  body.push({
    type: 'Input.ChoiceSet',
    id: 'scope',
    label: s.municipality,
    style: choices.length > FILTERED_FROM ? 'filtered' : 'compact',
    isRequired: true,
    errorMessage: s.chooseTitle,
    value: options.current?.key ?? sorted[0]?.key ?? '',
    choices: sorted.map((c) => ({ title: c.municipality, value: c.key })),
  });
  return card(body, [execute(s.chooseButton, Verbs.chooseScope)]);
}
