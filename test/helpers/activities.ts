/** Builders for incoming Bot Framework activities as Teams sends them. */

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const BOT = { id: '28:bot-id', name: 'Medborgarlöfte' };
export const USER = { id: '29:user-1', name: 'Rapportör Ett', aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001' };

let seq = 0;
const nextId = () => `act-in-${++seq}`;

export interface Where {
  serviceUrl: string;
  conversationId?: string;
  kind?: 'personal' | 'channel' | 'groupChat';
  locale?: string;
  from?: { id: string; name?: string; aadObjectId?: string };
}

function base(where: Where) {
  const kind = where.kind ?? 'personal';
  const conversationId = where.conversationId ?? (kind === 'channel' ? '19:general@thread.tacv2' : 'a:personal-1');
  const channelData: Record<string, unknown> = { tenant: { id: TENANT } };
  if (kind === 'channel') {
    channelData.team = { id: '19:team@thread.tacv2' };
    channelData.channel = { id: conversationId };
  }
  return {
    id: nextId(),
    channelId: 'msteams',
    serviceUrl: where.serviceUrl,
    timestamp: new Date().toISOString(),
    locale: where.locale ?? 'sv-SE',
    from: where.from ?? USER,
    recipient: BOT,
    conversation: { id: conversationId, conversationType: kind, tenantId: TENANT, isGroup: kind !== 'personal' },
    channelData,
  };
}

export function message(text: string, where: Where) {
  return { ...base(where), type: 'message', text };
}

export function botInstalled(where: Where) {
  return { ...base(where), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] };
}

export function installationUpdate(action: 'add' | 'remove', where: Where) {
  return { ...base(where), type: 'installationUpdate', action };
}

export function cardAction(verb: string, data: Record<string, unknown>, where: Where) {
  return {
    ...base(where),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}
