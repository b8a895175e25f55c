import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { Reporter } from '../../src/domain/reporter.js';
import { mention, proactiveActivity } from '../../src/teams/proactive.js';
import { TeamsReminderRenderer } from '../../src/teams/reminder-messages.js';
import { textsFor } from '../../src/texts/index.js';

const NAMES = [
  'Anna & Bo',
  'Olle <Polisen>',
  'a > b',
  '"Kalle" O\'Brien',
  '👮‍♀️ Lisa 🚓',
  'Tom &amp; Jerry',
  '</at><at>Eve',
];
const reporter = (name: string, i: number): Reporter => ({
  aadObjectId: `aaaaaaaa-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
  party: 'Kommunen',
  name,
  registeredAt: '2024-01-01T00:00:00Z',
  active: true,
});
const occurrences = (text: string, part: string) => text.split(part).length - 1;
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

interface Entity {
  type: string;
  text: string;
  mentioned: { id: string; name: string };
}

/** One mention entity per person, each tag once in the text, no other <at> in the text, the tag holding the name escaped once. */
function assertMentions(activity: ReturnType<typeof proactiveActivity>, people: Reporter[]): void {
  const text = activity.text ?? '';
  const entities = (activity.entities ?? []) as unknown as Entity[];
  assert.equal(entities.length, people.length, text);
  assert.equal(occurrences(text, '<at>'), people.length, `no raw markup makes another mention: ${text}`);
  assert.equal(occurrences(text, '</at>'), people.length, text);
  for (const [i, p] of people.entries()) {
    const e = entities[i]!;
    assert.equal(e.type, 'mention');
    assert.equal(e.mentioned.id, p.aadObjectId);
    assert.equal(e.mentioned.name, p.name);
    assert.equal(occurrences(text, e.text), 1, `the entity’s text ${e.text} is in the message once: ${text}`);
    assert.match(e.text, /^<at>[^<>]*<\/at>$/, 'nothing inside the tag reads as markup');
    assert.equal(unescape(e.text.slice(4, -5)), p.name, 'escaped exactly once');
  }
}

describe('@mentions (built in one place, escaped once)', () => {
  const renderer = new TeamsReminderRenderer(textsFor('sv'), undefined as never);

  for (const name of NAMES) {
    it(`the weekly channel reminder mentions ${JSON.stringify(name)} exactly once`, () => {
      const people = [reporter(name, 1)];
      assertMentions(proactiveActivity(renderer.weeklyChannel(people, '2024-W11')), people);
    });
  }

  it('mentions everyone once when several such names share one post', () => {
    const people = NAMES.map(reporter);
    const activity = proactiveActivity(renderer.weeklyChannel(people, '2024-W11'));
    assertMentions(activity, people);
    assert.match(activity.text!, /vecka 11/);
  });

  it('escapes &, < and > once: the entity holds the same tag as the text', () => {
    const { tag, entity } = mention({ aadObjectId: 'a1', name: 'Anna & Bo <Polisen>' });
    assert.equal(tag, '<at>Anna &amp; Bo &lt;Polisen&gt;</at>');
    assert.equal(entity.text, tag);
    assert.deepEqual(entity.mentioned, { id: 'a1', name: 'Anna & Bo <Polisen>' });
  });

  it('puts the tag first when the message text does not hold it, never twice when it does', () => {
    const people = [reporter('Anna & Bo', 1)];
    const bare = proactiveActivity({
      text: 'Hej',
      mentions: [{ aadObjectId: people[0]!.aadObjectId, name: 'Anna & Bo' }],
    });
    assert.equal(bare.text, '<at>Anna &amp; Bo</at> Hej');
    assertMentions(bare, people);
    const holding = proactiveActivity({
      text: `Hej ${mention({ aadObjectId: 'x', name: 'Anna & Bo' }).tag}`,
      mentions: [{ aadObjectId: people[0]!.aadObjectId, name: 'Anna & Bo' }],
    });
    assert.equal(holding.text, 'Hej <at>Anna &amp; Bo</at>');
    assertMentions(holding, people);
  });
});
