import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { parseAgreement, type Agreement } from '../../src/domain/agreement.js';
import { analyseQuestion, parseQuestion } from '../../src/domain/questions/index.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { CORPUS_SV } from './questions/corpus-sv.js';
import { CORPUS_EN } from './questions/corpus-en.js';
import { DECLINE } from './questions/corpus-decline.js';
import { TODAY, type CorpusEntry } from './questions/corpus-helpers.js';
import { en, sv } from '../../src/texts/index.js';

const parsed = parseAgreement(TRANAS_2023_2024);
if (!parsed.ok) throw new Error('the Tranås agreement does not parse');
const tranas: Agreement = parsed.value;

/** "Hur många trafikkontroller i år?" as typed on a keyboard without å/ä/ö. */
const ascii = (s: string): string =>
  s.replace(/[åä]/g, 'a').replace(/[ÅÄ]/g, 'A').replace(/ö/g, 'o').replace(/Ö/g, 'O');

/** Every question, plus an ASCII copy of each Swedish question with å/ä/ö: the same query expected. */
const ALL: CorpusEntry[] = [
  ...CORPUS_SV,
  ...CORPUS_SV.filter(([text]) => ascii(text) !== text).map(([text, q]): CorpusEntry => [ascii(text), q]),
  ...CORPUS_EN,
];

describe('question corpus: parsing (structured queries)', () => {
  it('holds at least 400 questions besides the declines', () => {
    assert.ok(ALL.length >= 400, `${ALL.length} questions`);
    assert.equal(new Set(ALL.map(([t]) => t)).size, ALL.length, 'no question twice');
  });

  for (const [text, expected] of ALL) {
    it(`"${text}" → ${expected.kind}`, () => {
      assert.deepEqual(parseQuestion(text, tranas, TODAY), expected);
    });
  }
});

describe('question corpus: declined with the words not understood', () => {
  for (const [text, named] of DECLINE) {
    it(`"${text}" is declined naming ${named.join(', ')}`, () => {
      const q = analyseQuestion(text, tranas, TODAY);
      assert.equal(q.question.kind, 'unknown', JSON.stringify(q.question));
      const said = q.notUnderstood.map((w) => w.toLowerCase());
      for (const w of named) assert.ok(said.includes(w), `${w} not named in ${JSON.stringify(said)}`);
    });
  }

  it('names no word for a question it answers, and names words used in no constraint', () => {
    for (const [text] of ALL) {
      const q = analyseQuestion(text, tranas, TODAY);
      assert.deepEqual(q.notUnderstood, [], text);
      assert.ok(q.used.length > 0, text);
    }
  });
});

describe('question corpus: the examples a decline shows are understood', () => {
  const commands = new Set(['rapportera', 'hjälp', 'report', 'help']);
  for (const text of [...sv.unknown.examples, ...en.unknown.examples].filter((e) => !commands.has(e))) {
    it(text, () => assert.notEqual(parseQuestion(text, tranas, TODAY).kind, 'unknown'));
  }
});
