import assert from 'node:assert/strict';
import {
  containsPersonalData,
  findPersonalData,
  luhnValid,
  normaliseForCheck,
  type PrivacyFindingKind,
} from '../../src/domain/privacy.js';
import { checkDigit } from '../helpers/identifiers.js';

interface Positive {
  text: string;
  expected: Array<[PrivacyFindingKind, string]>;
}

const POSITIVES: Positive[] = [
  {
    text: 'Personen uppgav personnummer 19121212-1212 vid kontrollen',
    expected: [['personnummer', '19121212-1212']],
  },
  { text: 'Kontrollerad person, pnr 121212-1212.', expected: [['personnummer', '121212-1212']] },
  { text: '201212121212 nämndes i samtalet', expected: [['personnummer', '201212121212']] },
  { text: 'Förare 8112189876 fick ordningsbot', expected: [['personnummer', '8112189876']] },
  {
    text: 'Samordningsnummer 701063-2391 noterades i anteckningen',
    expected: [['samordningsnummer', '701063-2391']],
  },
  {
    text: 'Med sekel: 19701063-2391 kontrollerades',
    expected: [['samordningsnummer', '19701063-2391']],
  },
  { text: 'Född 850615-1235 i Tranås', expected: [['personnummer', '850615-1235']] },
  { text: 'Uppgav 19780314 6542 som id', expected: [['personnummer', '19780314 6542']] },
  { text: 'Äldre man 121212+1212 hörd', expected: [['personnummer', '121212+1212']] },
  { text: 'Skottdag: 000229-1235 kontrollerad', expected: [['personnummer', '000229-1235']] },
  {
    // A valid personnummer that also has the form of a phone number: personnummer wins.
    text: 'Anteckning 0402294565 i rapporten',
    expected: [['personnummer', '0402294565']],
  },
  {
    text: 'Bilen ABC 123 stoppades på Storgatan',
    expected: [['registreringsnummer', 'ABC 123']],
  },
  { text: 'Fordon abc123 kontrollerades vid torget', expected: [['registreringsnummer', 'abc123']] },
  { text: 'Mopeden MLB 12A omhändertogs', expected: [['registreringsnummer', 'MLB 12A']] },
  { text: 'Bil med reg.nr GHT45K parkerad', expected: [['registreringsnummer', 'GHT45K']] },
  { text: 'Bil med reg XYZ 789 på torget', expected: [['registreringsnummer', 'XYZ 789']] },
  {
    text: 'Ring mig på 070-123 45 67 om det behövs',
    expected: [['telefonnummer', '070-123 45 67']],
  },
  { text: 'Mobil 0701234567 till föräldern', expected: [['telefonnummer', '0701234567']] },
  { text: 'Kontakt +46 70 123 45 67 efter insatsen', expected: [['telefonnummer', '+46 70 123 45 67']] },
  { text: 'Växel 08-123 456 78 dagtid', expected: [['telefonnummer', '08-123 456 78']] },
  { text: '0046 70 123 45 67 till anhörig', expected: [['telefonnummer', '0046 70 123 45 67']] },
  { text: 'Nås på +46 (0)70-123 45 67', expected: [['telefonnummer', '+46 (0)70-123 45 67']] },
  { text: 'Tel. (08) 123 456 78 kontor', expected: [['telefonnummer', '(08) 123 456 78']] },
  { text: 'sms:a +46701234567', expected: [['telefonnummer', '+46701234567']] },
  { text: 'Göteborg 031-12 34 56 ringdes upp', expected: [['telefonnummer', '031-12 34 56']] },
  {
    text: 'Skicka till anna.andersson@polisen.se för info',
    expected: [['epost', 'anna.andersson@polisen.se']],
  },
  { text: 'mejla märta_k@tranas.se.', expected: [['epost', 'märta_k@tranas.se']] },
  {
    // An e-mail address wins over a registration number in its local part.
    text: 'Adress abc123@exempel.com lämnades',
    expected: [['epost', 'abc123@exempel.com']],
  },
  {
    text: 'Anmälan 5000-K123456-24 upprättades',
    expected: [['diarienummer', '5000-K123456-24']],
  },
  { text: 'Se K123456-24 för detaljer', expected: [['diarienummer', 'K123456-24']] },
  { text: 'Dnr KS 2024/123 gäller ärendet', expected: [['diarienummer', 'KS 2024/123']] },
  { text: 'ärendenummer: 2024-00123.', expected: [['diarienummer', '2024-00123']] },
  {
    text: 'Nummer 070-123 45 67 070-765 43 21 lämnades',
    expected: [
      ['telefonnummer', '070-123 45 67'],
      ['telefonnummer', '070-765 43 21'],
    ],
  },
  { text: 'Ring kl. 13.00 070-123 45 67', expected: [['telefonnummer', '070-123 45 67']] },
  {
    text: 'Flera: 121212-1212 och 070-123 45 67 samt ABC 123, kontakt x@y.se',
    expected: [
      ['personnummer', '121212-1212'],
      ['telefonnummer', '070-123 45 67'],
      ['registreringsnummer', 'ABC 123'],
      ['epost', 'x@y.se'],
    ],
  },
];

const NEGATIVES: string[] = [
  '12 trafikkontroller på Storgatan-området i Centrum',
  'Krogkontroll fredag kl. 23.30 på tre krogar',
  'Riktad insats v. 12, 4 personer under 18 kontrollerade',
  'Kampanj mot langning 2024-05-30, 1 500 kr i material',
  'Samverkansmöte 14 mars',
  'Period 2023–2024',
  'Period 2023-2024',
  '2024-W12',
  'Vecka 2024-W05 till 2024-W08',
  'tertial 1 2024',
  'Tertial 3 2023: 45 insatser',
  'Hela kommunen',
  '0 kontroller denna vecka',
  'Resecentrum 18.00–22.00',
  'EST-möte 2024-03-14 kl. 13.00',
  '30 st',
  'ca 250 besökare',
  'nr 3 av 15',
  'Ärende nr 3 av 15 avslutat',
  'totalt 1 000 000 kronor',
  '12 500 kr till trygghetsvandringen',
  '1 050 000 kronor i kampanjen',
  'Budget 250 000 kr för tertial 2',
  'Möte 14/3 kl 13:00',
  'Trygghetsvandring med 120 deltagare',
  'MED 120 DELTAGARE I CENTRUM',
  'LOB 12 under veckan',
  'Budget SEK 500 för fika',
  'Hastighetskontroll på väg 131, 45 fordon kontrollerade',
  'E4:an vid trafikplats Tranås norra',
  'Riksväg 32 och länsväg 131',
  'Postnummer 573 31 Tranås',
  'Insats 2024-03-14–2024-03-20',
  'Kl. 08.00-10.00 vid skolan',
  'Klockan 0800 till 1000 vid stationen',
  '20 alkoholutandningsprov, 0 positiva',
  'Nattvandring 22:00–02:00 fredag och lördag',
  'Fyra krogar besöktes, 2 anmärkningar',
  'Ungdomsgården Bryggan, 35 ungdomar',
  'Ca 3 000 personer på marknaden',
  'Vecka 12–14 samt 16',
  '10 % färre anmälningar jämfört med 2023',
  'Kampanjen pågick 2024-05-01 – 2024-05-31',
  'Mellan 2023-01-01 och 2023-12-31 genomfördes 312 kontroller',
  'Åtgärd 4.2.1 i medborgarlöftet',
  'Insatser: 5, 10, 15 och 20 st',
  'Kontroller 2024-03-14 08:00-12:00 vid Resecentrum',
  'Trafiksäkerhet: 1 200 fordon, 35 rapporter',
  'SMS-kampanj till 2 500 mottagare',
  'Kostnad 0 kr, 2023–2024 (2 år)',
  'Fredag 13 december, kl 19-23',
  'Område Norr 1, Område Söder 2, Gripenberg',
  'Dnr saknas för denna aktivitet',
  'Samverkan med räddningstjänsten, 2 övningar',
  'Omsättning totalt 1 050 000 000 i regionen',
];

describe('domain/privacy', () => {
  describe('luhnValid', () => {
    it('accepts known valid ten-digit numbers', () => {
      for (const s of ['1212121212', '8112189876', '7010632391', '8506151235', '0402294565']) {
        assert.equal(luhnValid(s), true, s);
      }
    });

    it('rejects a wrong check digit and invalid input', () => {
      assert.equal(luhnValid('1212121213'), false);
      assert.equal(luhnValid('0701234567'), false);
      assert.equal(luhnValid(''), false);
      assert.equal(luhnValid('12121212-12'), false);
      assert.equal(luhnValid('abc'), false);
    });

    it('agrees with an independent computation of the check digit', () => {
      for (const nine of ['121212121', '811218987', '701063239', '850615123', '780314654', '000229123']) {
        const full = nine + String(checkDigit(nine));
        assert.equal(luhnValid(full), true, full);
        const wrong = nine + String((checkDigit(nine) + 1) % 10);
        assert.equal(luhnValid(wrong), false, wrong);
      }
    });

    it('the hard-coded test numbers have a computed (not guessed) check digit', () => {
      assert.equal(checkDigit('121212121'), 2);
      assert.equal(checkDigit('811218987'), 6);
      assert.equal(checkDigit('701063239'), 1);
      assert.equal(checkDigit('850615123'), 5);
      assert.equal(checkDigit('780314654'), 2);
    });
  });

  describe('positive examples', () => {
    it(`the corpus has at least 25 positive examples (${POSITIVES.length})`, () => {
      assert.ok(POSITIVES.length >= 25);
    });

    for (const { text, expected } of POSITIVES) {
      it(`flags: ${text}`, () => {
        const findings = findPersonalData(text);
        const norm = normaliseForCheck(text);
        const actual = findings.map((f) => [f.kind, norm.slice(f.start, f.end)]);
        assert.deepEqual(actual, expected);
        assert.equal(containsPersonalData(text), true);
      });
    }
  });

  describe('legitimate report texts', () => {
    it(`the corpus has at least 40 negative examples (${NEGATIVES.length})`, () => {
      assert.ok(NEGATIVES.length >= 40);
    });

    for (const text of NEGATIVES) {
      it(`lets through: ${text}`, () => {
        const findings = findPersonalData(text);
        assert.deepEqual(
          findings.map((f) => [f.kind, text.slice(f.start, f.end)]),
          [],
        );
        assert.equal(containsPersonalData(text), false);
      });
    }
  });

  describe('ambiguous cases', () => {
    it('numbers failing Luhn are not flagged as personnummer', () => {
      assert.deepEqual(findPersonalData('Nummer 121212-1213 i texten'), []);
      assert.deepEqual(findPersonalData('Nummer 19121212-1213 i texten'), []);
    });

    it('6+4 digits with a hyphen are not taken for a phone number', () => {
      // 070123-4567 has a valid date but a wrong check digit.
      assert.equal(luhnValid('0701234567'), false);
      assert.deepEqual(findPersonalData('Uppgift 070123-4567 lämnades'), []);
    });

    it('an invalid date is not flagged despite a correct Luhn digit', () => {
      const nine = '991332123'; // month 13
      const text = `Nummer ${nine.slice(0, 6)}-${nine.slice(6)}${checkDigit(nine)}`;
      assert.deepEqual(findPersonalData(text), []);
      const nine2 = '850230123'; // 30 February
      assert.deepEqual(findPersonalData(`Nummer ${nine2.slice(0, 6)}-${nine2.slice(6)}${checkDigit(nine2)}`), []);
    });

    it('samordningsnummer require day 61–91', () => {
      const nine = '701092123'; // day 92
      const text = `Nummer ${nine.slice(0, 6)}-${nine.slice(6)}${checkDigit(nine)}`;
      assert.deepEqual(findPersonalData(text), []);
    });

    it('centuries outside 18–20 are not flagged', () => {
      assert.deepEqual(findPersonalData('Serie 99121212-1212'), []);
    });

    it('registration numbers: I, Q, V and O are not used as the last letter', () => {
      assert.deepEqual(findPersonalData('Kod AIB 123'), []);
      assert.deepEqual(findPersonalData('Kod ABV123'), []);
      assert.deepEqual(findPersonalData('Kod ABC 12O'), []);
      assert.deepEqual(findPersonalData('Kod ABC1234'), []);
    });

    it('registration numbers in any case, with a space or a hyphen; ordinary words before a number are no plates', () => {
      for (const t of ['abc 123 fordon', 'Abc-12d fordon', 'LOB 123 fordon', 'xyz - 789'])
        assert.equal(findPersonalData(t).length, 1, t);
      for (const t of ['med 120 deltagare', 'Max 110 på sträckan', 'sal 112 i stadshuset', 'MED-120'])
        assert.deepEqual(findPersonalData(t), [], t);
    });
  });

  describe('result format', () => {
    it('matches hold only kind/start/end, never the value', () => {
      const text = 'pnr 19121212-1212, tel 070-123 45 67, ABC 123, a.b@c.se, K123456-24';
      const findings = findPersonalData(text);
      assert.equal(findings.length, 5);
      for (const f of findings) {
        assert.deepEqual(Object.keys(f).sort(), ['end', 'kind', 'start']);
        assert.equal(typeof f.start, 'number');
        assert.equal(typeof f.end, 'number');
      }
      const serialized = JSON.stringify(findings);
      for (const secret of ['1212', '070', 'ABC', 'a.b@c.se', 'K123456']) {
        assert.ok(!serialized.includes(secret), secret);
      }
    });

    it('matches are sorted and without overlap across the whole corpus', () => {
      for (const text of [...POSITIVES.map((p) => p.text), ...NEGATIVES]) {
        const findings = findPersonalData(text);
        for (let i = 0; i < findings.length; i++) {
          const f = findings[i]!;
          assert.ok(f.start < f.end && f.end <= text.length, text);
          if (i > 0) assert.ok(findings[i - 1]!.end <= f.start, text);
        }
      }
    });

    it('an empty text gives no matches', () => {
      assert.deepEqual(findPersonalData(''), []);
      assert.equal(containsPersonalData(''), false);
    });
  });
});
