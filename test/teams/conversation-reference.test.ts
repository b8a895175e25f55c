import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { safeText } from '../../src/domain/outbound-guard.js';
import { conversationOf } from '../../src/teams/conversation-reference.js';

const activity = (userName: string, conversationName?: string): Activity =>
  ({
    type: 'message',
    id: 'act-1',
    channelId: 'msteams',
    serviceUrl: 'https://smba.example.invalid/',
    from: { id: '29:user-1', name: userName, aadObjectId: 'aad-1' },
    recipient: { id: '28:bot', name: 'Bot' },
    conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 'tenant-1', name: conversationName },
  }) as unknown as Activity;

const nameOf = (a: Activity, key: 'user' | 'conversation') =>
  (conversationOf(a)!.reference[key] as { name?: string } | undefined)?.name;

describe('conversationOf: display names through the privacy guard', () => {
  const failing = 'Anna 19121212-1212';
  const passing = 'Anna Andersson';

  it('the sample names are what the guard says they are', () => {
    assert.equal(safeText(failing), undefined);
    assert.equal(safeText(passing), passing);
  });

  it('keeps a name that passes and drops one that fails, every time it is seen (the result is remembered)', () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(nameOf(activity(passing), 'user'), passing);
      assert.equal(nameOf(activity(failing), 'user'), undefined);
      assert.equal(nameOf(activity(passing, failing), 'conversation'), undefined);
      assert.equal(nameOf(activity(failing, passing), 'conversation'), passing);
    }
  });

  it('still checks every name when more names than it remembers come by', () => {
    for (let i = 0; i < 2500; i++) assert.equal(nameOf(activity(`Person ${i}`), 'user'), `Person ${i}`);
    assert.equal(nameOf(activity(failing), 'user'), undefined);
    assert.equal(nameOf(activity(`Person 1 ${failing}`), 'user'), undefined);
  });
});
