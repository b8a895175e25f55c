import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

// The package's ESM build does not resolve under Node; its UMD bundle does.
const require = createRequire(import.meta.url);
const AC = require('adaptivecards/dist/adaptivecards.js');

/**
 * Parses a card with Microsoft's official `adaptivecards` package and fails on any parse or
 * validation event. Unknown element types are allowed only when the element declares a fallback
 * (charts, which the 3.0 renderer does not know but Teams does).
 */
export function assertValidCard(content: unknown): void {
  const json = content as Record<string, any>;
  assert.equal(json.type, 'AdaptiveCard');
  assert.equal(json.version, '1.5');
  assertFallbacks(json);
  const card = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext();
  card.parse(json, ctx);
  const events: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) {
    const e = ctx.getEventAt(i);
    if (/Unknown element type "Chart\./.test(e.message)) continue;
    events.push(e.message);
  }
  for (const e of card.validateProperties().validationEvents) events.push(e.message);
  assert.deepEqual(events, [], `card has problems: ${events.join('; ')}`);
  assert.ok(Buffer.byteLength(JSON.stringify(json)) < 80_000, 'card must stay under 80 KB');
}

function assertFallbacks(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(assertFallbacks);
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Chart.')) assert.ok(o.fallback, `${o.type} needs a fallback`);
    Object.values(o).forEach(assertFallbacks);
  }
}

export function cardsOf(activity: Record<string, any>): Record<string, any>[] {
  return (activity.attachments ?? [])
    .filter((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a: any) => a.content);
}
