import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { AgreementSchema } from '../../src/domain/agreement.js';
import {
  activityCommandOf,
  applyActivityDraft,
  overrideProblems,
  parseActivityCommand,
  parseOverrideCommand,
  parseTarget,
  nextActivityId,
} from '../../src/domain/coordinator-commands.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';

const agreement = AgreementSchema.parse(TRANAS_2023_2024);
const today = '2024-03-14';

describe('coordinator commands: sätt status', () => {
  const cases: [string, unknown, string | undefined, string][] = [
    [
      'löfte 2 risk: polisen har haft färre resurser i sommar',
      { kind: 'pledge', pledgeNumber: 2 },
      'atRisk',
      'polisen har haft färre resurser i sommar',
    ],
    [
      'trafikkontroller efter: två kontroller ställdes in',
      { kind: 'activity', activityId: 'trafikkontroller', pledgeNumber: 3 },
      'behind',
      'två kontroller ställdes in',
    ],
    ['Löfte nr 1 I FAS: bra fart', { kind: 'pledge', pledgeNumber: 1 }, 'onTrack', 'bra fart'],
    ['risk löfte 2: sommar', { kind: 'pledge', pledgeNumber: 2 }, 'atRisk', 'sommar'],
    ['löfte 2: risk, färre resurser', { kind: 'pledge', pledgeNumber: 2 }, 'atRisk', 'färre resurser'],
    [
      'lofte 2 till efter eftersom vandringarna ställdes in',
      { kind: 'pledge', pledgeNumber: 2 },
      'behind',
      'eftersom vandringarna ställdes in',
    ],
    [
      'krogkontrollerna uppnått: alla krogar besökta',
      { kind: 'activity', activityId: 'krogkontroller', pledgeNumber: 2 },
      'achieved',
      'alla krogar besökta',
    ],
    [
      'riktade insatser uppnåt: klart',
      { kind: 'activity', activityId: 'riktade-insatser-narkotika', pledgeNumber: 1 },
      'achieved',
      'klart',
    ],
    [
      'löfte 2 risk polisen har: få resurser',
      { kind: 'pledge', pledgeNumber: 2 },
      'atRisk',
      'polisen har: få resurser',
    ],
  ];
  for (const [text, subject, level, reason] of cases) {
    it(`reads "${text}"`, () => {
      const draft = parseOverrideCommand(text, agreement, today);
      assert.deepEqual(draft.subject, subject);
      assert.equal(draft.level, level);
      assert.equal(draft.reason, reason);
      assert.deepEqual(overrideProblems(draft).problems, []);
    });
  }

  it('names what is missing or unclear', () => {
    assert.deepEqual(overrideProblems(parseOverrideCommand('löfte 9 risk: x y z', agreement, today)).problems, [
      'subject',
    ]);
    assert.deepEqual(overrideProblems(parseOverrideCommand('löfte 2', agreement, today)).problems, ['level', 'reason']);
    assert.deepEqual(
      overrideProblems(parseOverrideCommand('kontroller risk: två sorter', agreement, today)).problems,
      ['subject'],
      'two activities match',
    );
    assert.deepEqual(
      overrideProblems(parseOverrideCommand(`löfte 2 risk: ${'x'.repeat(501)}`, agreement, today)).problems,
      ['reasonTooLong'],
    );
    const personal = overrideProblems(parseOverrideCommand('löfte 2 risk: se 19811218-9876', agreement, today));
    assert.deepEqual(personal.problems, ['personalData']);
  });
});

describe('coordinator commands: activities and targets', () => {
  it('tells the activity commands apart by their words', () => {
    assert.deepEqual(activityCommandOf('aktiviteter'), { kind: 'list', rest: '' });
    assert.deepEqual(activityCommandOf('Sätt mål trafikkontroller 35 per år'), {
      kind: 'setTarget',
      rest: 'trafikkontroller 35 per år',
    });
    assert.deepEqual(activityCommandOf('ny aktivitet löfte 2: X'), { kind: 'add', rest: 'löfte 2: X' });
    assert.deepEqual(activityCommandOf('lägg till aktivitet löfte 2: X'), { kind: 'add', rest: 'löfte 2: X' });
    assert.deepEqual(activityCommandOf('ändra aktivitet krogkontroller: ägare Båda'), {
      kind: 'edit',
      rest: 'krogkontroller: ägare Båda',
    });
  });

  it('reads targets', () => {
    assert.deepEqual(parseTarget('35 per år'), { kind: 'perYear', count: 35 });
    assert.deepEqual(parseTarget('minst 35 om året'), { kind: 'perYear', count: 35 });
    assert.deepEqual(parseTarget('10 under perioden'), { kind: 'perPeriod', count: 10 });
    assert.deepEqual(parseTarget('12', 'perPeriod'), { kind: 'perPeriod', count: 12 });
    assert.deepEqual(parseTarget('inget'), { kind: 'none' });
    assert.equal(parseTarget('3 per månad'), undefined);
    assert.equal(parseTarget('0 per år'), undefined);
    assert.equal(parseTarget('många'), undefined);
  });

  it('parses a new activity and applies it to a copy of the agreement', () => {
    const draft = parseActivityCommand(
      'add',
      'löfte 2: Trygghetsvandringar, enhet vandringar, mål 10 per år, ägare Kommunen',
      agreement,
      today,
    );
    assert.deepEqual(draft.problems, []);
    const next = AgreementSchema.parse(applyActivityDraft(agreement, draft));
    assert.equal(next.activities.length, 7);
    assert.equal(agreement.activities.length, 6, 'the original is not changed');
    assert.deepEqual(next.activities[6], {
      id: 'aktivitet-7',
      pledgeNumber: 2,
      owner: 'Kommunen',
      wording: 'Trygghetsvandringar',
      unit: 'vandringar',
      unitSingular: 'vandring',
      target: { kind: 'perYear', count: 10 },
      youthFocus: false,
    });
  });

  it('refuses markup, unknown parts and a changed id', () => {
    assert.ok(
      parseActivityCommand('add', 'löfte 2: [klicka](http://x), ägare Polisen', agreement, today).problems.includes(
        'markup',
      ),
    );
    const edit = parseActivityCommand('edit', 'krogkontroller: hej hopp', agreement, today);
    assert.deepEqual(edit.problems, ['unknownPart']);
    assert.deepEqual(edit.unknownParts, ['hej hopp']);
    assert.ok(
      parseActivityCommand('edit', 'krogkontroller: id nytt-id', agreement, today).problems.includes('unknownPart'),
    );
  });

  it('numbers new activities; their id never carries typed text', () => {
    assert.equal(nextActivityId([]), 'aktivitet-1');
    assert.equal(nextActivityId(['a', 'b']), 'aktivitet-3');
    assert.equal(nextActivityId(['aktivitet-3', 'x']), 'aktivitet-4');
    assert.equal(nextActivityId(['aktivitet-2', 'aktivitet-1']), 'aktivitet-3');
    const draft = parseActivityCommand('add', 'löfte 2: Kontroll av 19121212-1212, ägare Polisen', agreement, today);
    assert.ok(draft.problems.includes('personalData'));
    assert.deepEqual(draft.personalData, ['personnummer']);
    assert.deepEqual(draft.unknownParts, []);
    const typedId = parseActivityCommand(
      'add',
      'löfte 2: Trygghetsvandringar, ägare Polisen, id min-egen',
      agreement,
      today,
    );
    assert.ok(typedId.problems.includes('unknownPart'));
    assert.equal(
      AgreementSchema.parse(
        applyActivityDraft(
          agreement,
          parseActivityCommand('add', 'löfte 2: Trygghetsvandringar, ägare Polisen', agreement, today),
        ),
      ).activities[6]!.id,
      'aktivitet-7',
    );
  });

  it('refuses an identifier in the unit, the wording or anywhere in the message', () => {
    for (const text of [
      'löfte 2: Vandringar, enhet abc 123, ägare Polisen',
      'löfte 2: Vandringar med anna(at)polisen.se, ägare Polisen',
      'löfte 2: Vandringar, ägare Polisen, mål 10 per år 070\u2011123\u00a045\u00a067',
    ]) {
      const draft = parseActivityCommand('add', text, agreement, today);
      assert.ok(draft.problems.includes('personalData'), text);
    }
    assert.ok(
      parseActivityCommand('edit', 'krogkontroller: enhet 811218\u20119876', agreement, today).problems.includes(
        'personalData',
      ),
    );
  });
});
