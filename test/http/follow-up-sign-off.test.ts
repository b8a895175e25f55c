import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import { sv } from '../../src/texts/index.js';
import { AuditFile } from '../../src/storage/audit-file.js';
import { cardAction, message, type Where } from '../helpers/activities.js';
import { assertValidCard, cardsOf } from '../helpers/card-validate.js';
import { cardText, startHarness, type Harness } from '../helpers/harness.js';
import { assertDoesNotShow, assertShows } from '../helpers/texts.js';

// The follow-up both parties sign (issue #15) through /api/messages, the scheduler, the delivery
// ledger and the stub Bot Connector: the draft posted in the linked channel when tertial 2 has
// ended, approvals by one coordinator of each party (the wrong party and a rapportör refused), a
// narrative edit making a new revision that clears the approvals, the digest naming what is
// unsigned, "Kommunicerat till medborgarna" with its weekly reminder, and the KF report.

const POLIS = { id: '29:polis', name: 'Kommunpolis Karin', aadObjectId: 'cccccccc-0000-4000-8000-000000000001' };
const KOMMUN = { id: '29:kommun', name: 'Samordnare Sara', aadObjectId: 'cccccccc-0000-4000-8000-000000000002' };
const REPORTER = { id: '29:rep', name: 'Rapportör Rut', aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000009' };
const CHANNEL = '19:general@thread.tacv2';
const f = sv.followUpReport;
const T2 = f.period({ kind: 'tertial', key: '2024-T2' });
const ids = { agreementId: 'tranas-2023-2024', periodKey: '2024-T2' };

describe('follow-up sign-off through the HTTP protocol (#15)', () => {
  let h: Harness;
  // Wednesday 28 August 2024, 10:00 in Stockholm: inside tertial 2.
  const clock = new ManualClock('2024-08-28T08:00:00Z');
  const personal = (from: typeof POLIS): Where => ({
    serviceUrl: h.connector.url,
    from,
    conversationId: `a:personal-${from.id}`,
  });
  const inChannel = (from: typeof POLIS): Where => ({
    serviceUrl: h.connector.url,
    from,
    kind: 'channel',
    conversationId: CHANNEL,
  });
  const postsTo = (conversationId: string) => h.connector.posted.filter((p) => p.conversationId === conversationId);
  const press = async (verb: string, data: Record<string, unknown>, where: Where) => {
    const res = await h.post(cardAction(verb, { ...ids, ...data }, where));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertValidCard(res.body.value);
    return cardText(res.body.value);
  };
  const report = async (fields: Record<string, unknown>, from = POLIS) => {
    const res = await h.post(
      cardAction(
        'report.submit',
        {
          submissionId: randomUUID(),
          week: '2024-W35',
          activityId: 'trafikkontroller',
          area: 'Centrum',
          description: '',
          party: 'Polisen',
          raiseAtNextMeeting: 'false',
          ...fields,
        },
        personal(from),
      ),
    );
    return cardText(res.body.value);
  };
  const audit = () =>
    readFileSync(AuditFile.pathFor(h.dbPath), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; outcome: string; detail?: string; actor: { id: string } });

  before(async () => {
    h = await startHarness({
      clock,
      env: {
        COORDINATOR_IDS: `${POLIS.aadObjectId},${KOMMUN.aadObjectId}`,
        PARTY_BY_PERSON: `${POLIS.aadObjectId}=Polisen,${KOMMUN.aadObjectId}=Kommunen`,
        REMINDERS_ENABLED: 'true',
      },
    });
    await h.turn(message('koppla kanal', inChannel(POLIS)));
    // The coordinators' personal chats (for the communication reminders) and a rapportör.
    await h.turn(message('hjälp', personal(POLIS)));
    await h.turn(message('hjälp', personal(KOMMUN)));
    await h.turn(message('hjälp', personal(REPORTER)));
    assertShows(
      await report({
        count: '5',
        date: '2024-08-26',
        'sub.hastighet': '3',
        'sub.nykterhet': '1',
        description: 'Kontroller vid skolvägarna inför skolstarten',
        raiseAtNextMeeting: 'true',
      }),
      sv.report.saved,
    );
    assertShows(await report({ count: '2', date: '2024-08-27', 'sub.hastighet': '2' }), sv.report.saved);
    // A meeting on Thursday 5 September: its digest goes out on Monday 2 September at 08:00.
    const meeting = await h.post(
      cardAction(
        'meeting.create',
        { meetingId: randomUUID(), kind: 'tertialuppföljning', date: '2024-09-05', time: '13:00', place: 'Polishuset' },
        personal(POLIS),
      ),
    );
    assertShows(cardText(meeting.body.value), sv.followUp.meetings.saved);
    h.connector.clear();
  });
  after(async () => {
    await h?.stop();
  });

  it('a sub-count larger than the count is refused next to its row, with what was typed', async () => {
    const shown = await report({ count: '2', date: '2024-08-27', 'sub.mobil': '3' });
    assertShows(shown, sv.report.errors.subcounts.moreThanCount);
    assertDoesNotShow(shown, sv.report.saved);
  });

  it('a rapportör asking for the follow-up is told it is for coordinators', async () => {
    const [reply] = await h.turn(message('uppföljning tertial 2', personal(REPORTER)));
    assertShows(cardText(reply!), f.refusals.forbidden);
  });

  it('"uppföljning tertial 2" shows the draft: scope, outcome with sub-counts, target to date, buttons', async () => {
    const [reply] = await h.turn(message('uppföljning tertial 2', personal(POLIS)));
    const [content] = cardsOf(reply!);
    assertValidCard(content);
    const shown = cardText(reply!);
    assertShows(shown, f.title(T2, 'Tranås kommun'));
    assertShows(shown, f.outcome(T2, '7 kontroller'));
    assertShows(shown, f.subcounts([f.subcount(5, 'hastighet'), f.subcount(1, 'nykterhet')]));
    // 30 a year: two thirds (20) due by the end of August.
    assertShows(shown, f.targetToDate(20, false));
    assertShows(shown, f.approveFor('Polisen'));
    assertShows(shown, f.approveFor('Kommunen'));
    assertShows(shown, f.writeNarrative);
    assertShows(shown, f.documents);
  });

  it('`påminnelser` plans the draft for the first working day after tertial 2, in Swedish time', async () => {
    const [reply] = await h.turn(message('påminnelser', personal(POLIS)));
    const shown = cardText(reply!);
    const l = sv.planning.planned;
    assertShows(shown, l.followUpDraft(T2));
    // Saturday 31 August ends tertial 2: Monday 2 September, 09:00 in Stockholm (07:00 UTC).
    assertShows(shown, l.at(new Date('2024-09-02T07:00:00Z')));
    assertDoesNotShow(shown, l.followUpCommunicate(T2));
  });

  it('posts the draft in the linked channel once when tertial 2 has ended; the digest says it is unsigned', async () => {
    // Monday 2 September 2024, 09:00:30 in Stockholm.
    clock.set('2024-09-02T07:00:30Z');
    await h.bot.reminders.tick();
    const posts = postsTo(CHANNEL).map((p) => cardText(p.body));
    const drafts = posts.filter((p) => p.includes(f.channelPost.intro(T2)));
    assert.equal(drafts.length, 1);
    assertShows(drafts[0]!, f.title(T2, 'Tranås kommun'));
    const digest = posts.find((p) => p.includes(f.digest.title));
    assert.ok(digest, 'the digest before the meeting names the follow-ups');
    assertShows(digest, f.digest.unsigned(T2, ['Polisen', 'Kommunen']));
    const before = h.connector.posted.length;
    clock.set('2024-09-02T08:00:00Z');
    await h.bot.reminders.tick();
    assert.equal(h.connector.posted.length, before, 'never posted twice');
  });

  it('refuses an approval for the other party and one by a rapportör, and audits the refusals', async () => {
    assertShows(
      await press('followup.approve', { party: 'Kommunen', revision: 1 }, inChannel(POLIS)),
      f.refusals.wrongParty('Polisen', 'Kommunen'),
    );
    assertShows(
      await press('followup.approve', { party: 'Polisen', revision: 1 }, inChannel(REPORTER)),
      f.refusals.notCoordinator,
    );
    const refused = audit().filter((e) => e.action === 'access.refused' && e.detail?.startsWith('followup.approve'));
    assert.deepEqual(
      refused.map((e) => e.detail),
      ['followup.approve.wrongParty', 'followup.approve.notCoordinator'],
    );
  });

  it('one approval, then a narrative edit makes revision 2 and clears it; the old card’s approval is refused', async () => {
    const approved = await press('followup.approve', { party: 'Polisen', revision: 1 }, inChannel(POLIS));
    assertShows(approved, f.notices.approved('Polisen'));
    assertShows(approved, f.waitingFor(['Kommunen']));

    // The narrative card offers the flagged report's text as a starting point.
    const form = await press('followup.narrative', { pledge: 3 }, inChannel(KOMMUN));
    assertShows(form, f.narrativeCard.fromFlagged);
    assertShows(form, '– Kontroller vid skolvägarna inför skolstarten');

    // A personnummer is refused and the text comes back as typed.
    const typed = 'Kontrollerna gällde 19850101-1236 vid skolan';
    const refused = await press('followup.narrative.save', { pledge: 3, narrative: typed }, inChannel(KOMMUN));
    assertShows(refused, f.narrativeCard.personalData([sv.report.kindNames.personnummer!]));
    assertShows(refused, typed);
    assert.doesNotMatch(JSON.stringify(audit()), /19850101/);

    const saved = await press(
      'followup.narrative.save',
      { pledge: 3, narrative: 'Kontrollerna flyttades till skolvägarna inför skolstarten.' },
      inChannel(KOMMUN),
    );
    assertShows(saved, f.notices.narrativeSaved);
    assertShows(saved, f.revision(2, '2024-09-02'));
    assertShows(saved, f.waitingFor(['Polisen', 'Kommunen']));
    assertShows(saved, 'Kontrollerna flyttades till skolvägarna inför skolstarten.');

    const stale = await press('followup.approve', { party: 'Kommunen', revision: 1 }, inChannel(KOMMUN));
    assertShows(stale, f.refusals.staleRevision(2));
  });

  it('both parties approve revision 2: signed, and each step is audited', async () => {
    clock.set('2024-09-03T08:00:00Z');
    assertShows(
      await press('followup.approve', { party: 'Kommunen', revision: 2 }, inChannel(KOMMUN)),
      f.notices.approved('Kommunen'),
    );
    const signed = await press('followup.approve', { party: 'Polisen', revision: 2 }, inChannel(POLIS));
    assertShows(signed, f.notices.signed);
    const [status] = await h.turn(message('status', personal(KOMMUN)));
    assertShows(cardText(status!), f.status.line(T2, [], true, []), 'status: signed, not communicated');
    assertShows(signed, f.communicate);
    assertDoesNotShow(signed, f.approveFor('Polisen'));
    const steps = audit()
      .filter((e) => e.action.startsWith('followup.') && e.outcome === 'ok')
      .map((e) => `${e.action} ${e.detail}`);
    assert.deepEqual(steps, [
      'followup.drafted revision 1',
      'followup.approved revision 1 Polisen',
      'followup.revised revision 2 narrative approvals cleared',
      'followup.approved revision 2 Kommunen',
      'followup.approved revision 2 Polisen signed',
    ]);
  });

  it('"Word, PDF och text" answers fresh download links; the text file holds the signed follow-up, and a rapportör gets none', async () => {
    const res = await h.post(cardAction('followup.documents', ids, personal(KOMMUN)));
    assert.equal(res.status, 200);
    assertValidCard(res.body.value);
    const urls = (res.body.value.actions as { type: string; url: string }[])
      .filter((a) => a.type === 'Action.OpenUrl')
      .map((a) => a.url);
    assert.equal(urls.length, 3);
    for (const url of urls) assert.ok(url.startsWith(`http://127.0.0.1:${h.bot.port}/api/downloads/`), url);
    const text = await (await fetch(urls[2]!)).text();
    assert.match(text, /Tranås kommun/);
    assert.match(text, /7 kontroller, 5 av dessa hastighet/);
    assert.match(text, /Kontrollerna flyttades till skolvägarna inför skolstarten\./);
    const word = await fetch(urls[0]!);
    assert.equal(word.status, 200);
    assert.equal((await word.arrayBuffer()).byteLength > 1000, true);
    const refused = await h.post(cardAction('followup.documents', ids, personal(REPORTER)));
    assertShows(cardText(refused.body.value), f.refusals.forbidden);
    assert.ok(!JSON.stringify(refused.body.value).includes('/api/downloads/'));
  });

  it('reminds both coordinators every Monday while it is not communicated: once a week', async () => {
    clock.set('2024-09-09T07:00:30Z');
    await h.bot.reminders.tick();
    const reminder = f.reminder.communicate(T2, 'Tranås kommun');
    for (const who of [POLIS, KOMMUN]) {
      const posts = postsTo(`a:personal-${who.id}`).filter((p) => cardText(p.body).includes(reminder));
      assert.equal(posts.length, 1, `${who.name} reminded once`);
    }
    assert.equal(
      postsTo(`a:personal-${REPORTER.id}`).filter((p) => cardText(p.body).includes(reminder)).length,
      0,
      'a rapportör is not reminded',
    );
    const before = h.connector.posted.length;
    clock.set('2024-09-12T10:00:00Z');
    await h.bot.reminders.tick();
    assert.equal(
      h.connector.posted.filter((p) => cardText(p.body).includes(reminder)).length,
      2,
      'not again the same week',
    );
    assert.ok(h.connector.posted.length >= before);
    clock.set('2024-09-16T07:00:30Z');
    await h.bot.reminders.tick();
    assert.equal(
      h.connector.posted.filter((p) => cardText(p.body).includes(reminder)).length,
      4,
      'again the next week',
    );
  });

  it('`påminnelser` plans the next Monday reminder while the signed follow-up is not communicated', async () => {
    const [reply] = await h.turn(message('påminnelser', personal(KOMMUN)));
    assertShows(cardText(reply!), sv.planning.planned.followUpCommunicate(T2));
  });

  it('records where it was communicated: bad link and personal data refused with the input kept; then no more reminders', async () => {
    const form = await press('followup.communication', {}, inChannel(KOMMUN));
    assertShows(form, f.communicationCard.title(T2));
    const badLink = await press(
      'followup.communication.save',
      { channel: 'polisen.se', date: '2024-09-10', url: 'ftp://polisen.se/x', note: '' },
      inChannel(KOMMUN),
    );
    assertShows(badLink, f.communicationCard.errors.url!.invalid!);
    assertShows(badLink, 'ftp://polisen.se/x');
    const note = 'Ring 070-123 45 67 för frågor';
    const personalData = await press(
      'followup.communication.save',
      { channel: 'medborgardialog', date: '2024-09-10', url: '', note },
      inChannel(KOMMUN),
    );
    assertShows(personalData, f.communicationCard.personalData([sv.report.kindNames.telefonnummer!]));
    assertShows(personalData, note);
    const saved = await press(
      'followup.communication.save',
      { channel: 'polisen.se', date: '2024-09-10', url: 'https://polisen.se/tranas-uppfoljning', note: '' },
      inChannel(KOMMUN),
    );
    assertShows(saved, f.notices.communicated);
    assertShows(saved, f.communicated([f.communicationLine('polisen.se', '2024-09-10')]));
    const reminder = f.reminder.communicate(T2, 'Tranås kommun');
    const before = h.connector.posted.filter((p) => cardText(p.body).includes(reminder)).length;
    clock.set('2024-09-23T07:00:30Z');
    await h.bot.reminders.tick();
    assert.equal(h.connector.posted.filter((p) => cardText(p.body).includes(reminder)).length, before);
    assert.ok(
      audit().some((e) => e.action === 'followup.communicated' && e.outcome === 'ok' && e.detail === 'polisen.se'),
    );
    const [status] = await h.turn(message('status', personal(POLIS)));
    assertShows(cardText(status!), f.status.line(T2, [], true, ['polisen.se']));
  });

  it('a late report leaves the signed figures alone until a coordinator refreshes: a new revision, approvals cleared', async () => {
    assertShows(await report({ count: '4', date: '2024-08-30', week: '2024-W35' }), sv.report.saved);
    const [reply] = await h.turn(message('uppföljning tertial 2', personal(POLIS)));
    const shown = cardText(reply!);
    assertShows(shown, f.outcome(T2, '7 kontroller'), 'the figures of revision 2 are kept');
    assertShows(shown, f.stale);
    assertShows(shown, f.signed);
    const refreshed = await press('followup.refresh', {}, personal(POLIS));
    assertShows(refreshed, f.notices.refreshed);
    assertShows(refreshed, f.outcome(T2, '11 kontroller'));
    assertShows(refreshed, f.waitingFor(['Polisen', 'Kommunen']));
  });

  it('"kf-rapport 2024" summarises the year with the signed narratives and whether each target was met', async () => {
    const [reply] = await h.turn(message('kf-rapport 2024', personal(KOMMUN)));
    const shown = cardText(reply!);
    assertShows(shown, f.kf.title('2024', 'Tranås kommun'));
    assertShows(shown, f.kf.against(30, false));
    assertShows(shown, 'Kontrollerna flyttades till skolvägarna inför skolstarten.');
    assertShows(shown, f.kf.signedNarratives(1));
  });

  it('after the year and the period, the KF report drafts are posted in the channel once each; `påminnelser` planned them', async () => {
    // Friday 27 December 2024: within 14 days of the first working day of 2025 (Thursday 2 January).
    clock.set('2024-12-27T09:00:00Z');
    const [plan] = await h.turn(message('påminnelser', personal(POLIS)));
    assertShows(cardText(plan!), sv.planning.planned.kfReport('2024'));
    assertShows(cardText(plan!), sv.planning.planned.kfReport('2023–2024'));
    await h.bot.reminders.tick();
    clock.set('2025-01-02T08:00:30Z'); // 09:00:30 in Stockholm
    await h.bot.reminders.tick();
    await h.bot.reminders.tick();
    const kf = postsTo(CHANNEL)
      .map((p) => cardText(p.body))
      .filter((text) => text.includes(f.kf.channelIntro('2024')) || text.includes(f.kf.channelIntro('2023–2024')));
    assert.equal(kf.length, 2, kf.join('\n---\n'));
    assertShows(kf.join('\n'), f.kf.title('2024', 'Tranås kommun'));
    assertShows(kf.join('\n'), f.kf.title('2023–2024', 'Tranås kommun'));
    assertShows(kf.join('\n'), 'Kontrollerna flyttades till skolvägarna inför skolstarten.');
  });
});
