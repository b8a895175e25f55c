import type { ComposedDocument } from './compose.js';
import { guardText } from './guard.js';

/**
 * The short plain-text version, to paste on polisen.se, the municipality's website or social
 * media: the title and scope, per löfte its outcome lines and its comment, and whether both parties
 * approved. No tables, no markup; lines end with \n.
 */
export function renderText(doc: ComposedDocument): string {
  const lines: string[] = [doc.title, doc.scope, ''];
  for (const p of doc.pledges) {
    lines.push(`${p.heading}. ${p.wording}`);
    for (const a of p.activities) lines.push(`– ${a.wording} ${a.owner}. ${a.line}`);
    if (p.comments.length > 0) {
      lines.push(`${p.commentHeading}:`);
      for (const c of p.comments) lines.push(c.label ? `${c.label}: ${c.text}` : c.text);
    }
    lines.push('');
  }
  lines.push(doc.signOff.state);
  return `${lines.map(guardText).join('\n')}\n`;
}
