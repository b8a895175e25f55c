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

/** The card element with this id, at any depth (containers, column sets, columns). */
export function elementById(content: Record<string, any>, id: string): Record<string, any> | undefined {
  const walk = (node: unknown): Record<string, any> | undefined => {
    if (Array.isArray(node)) {
      for (const n of node) {
        const found = walk(n);
        if (found) return found;
      }
      return undefined;
    }
    if (!node || typeof node !== 'object') return undefined;
    const o = node as Record<string, any>;
    if (o.id === id && typeof o.type === 'string') return o;
    for (const key of ['body', 'items', 'columns']) {
      const found = walk(o[key]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(content.body);
}

/** Every element of the card that is not an input (what the card says, not what the user typed). */
export function nonInputElements(content: Record<string, any>): Record<string, any>[] {
  const out: Record<string, any>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, any>;
    if (typeof o.type === 'string' && o.type.startsWith('Input.')) return;
    if (o.type === 'TextBlock' || o.type === 'RichTextBlock' || o.type === 'FactSet') out.push(o);
    for (const key of ['body', 'items', 'columns']) walk(o[key]);
  };
  walk(content.body);
  return out;
}
