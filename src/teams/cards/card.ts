/** Minimal Adaptive Card 1.5 typing: cards are plain JSON, checked against the schema in tests. */
export type CardElement = Record<string, unknown>;

export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  msteams?: { width?: 'Full' };
  [key: string]: unknown;
}

export function card(body: CardElement[], actions: CardElement[] = []): AdaptiveCardJson {
  const c: AdaptiveCardJson = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    msteams: { width: 'Full' },
  };
  if (actions.length > 0) c.actions = actions;
  return c;
}

export const heading = (text: string): CardElement => ({
  type: 'TextBlock',
  text,
  size: 'Large',
  weight: 'Bolder',
  wrap: true,
  style: 'heading',
});

export const textBlock = (text: string, extra: Record<string, unknown> = {}): CardElement => ({
  type: 'TextBlock',
  text,
  wrap: true,
  ...extra,
});

/** User-provided text goes in a TextRun, which Adaptive Cards never render as markdown. */
export const plainText = (text: string, extra: Record<string, unknown> = {}): CardElement => ({
  type: 'RichTextBlock',
  inlines: [{ type: 'TextRun', text, ...extra }],
});

export const execute = (title: string, verb: string, data: Record<string, unknown> = {}): CardElement => ({
  type: 'Action.Execute',
  title,
  verb,
  data,
});

export const attachment = (content: AdaptiveCardJson) => ({
  contentType: 'application/vnd.microsoft.card.adaptive',
  content,
});
