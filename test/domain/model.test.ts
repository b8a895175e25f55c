import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import type { z } from 'zod';
import { AgreementSchema } from '../../src/domain/agreement.js';
import { ChannelLinkSchema } from '../../src/domain/channel-link.js';
import { StoredConversationSchema } from '../../src/domain/conversation.js';
import { StoredCoordinatorSchema } from '../../src/domain/coordinator.js';
import { StoredMarkerSchema } from '../../src/domain/marker.js';
import { MEETING_KINDS, MeetingSchema } from '../../src/domain/meeting.js';
import { StoredOverrideSchema } from '../../src/domain/override.js';
import {
  isParty,
  isReportingParty,
  PARTIES,
  PartySchema,
  REPORTING_PARTIES,
  ReportingPartySchema,
  reportingPartyOf,
} from '../../src/domain/party.js';
import { ReportChangeSchema, ReportContentSchema, WeeklyReportSchema } from '../../src/domain/report.js';
import { ReporterSchema } from '../../src/domain/reporter.js';
import { STATUS_LEVELS, StatusLevelSchema } from '../../src/domain/status.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { DbSchema, emptyDb, REPORT_FILE_VERSION, ReportFileSchema } from '../../src/storage/schema.js';
import { storedReport } from '../helpers/report-builder.js';

const AT = '2024-03-14T12:00:00.000Z';

const meeting = {
  id: 'm1',
  agreementId: 'tranas-2023-2024',
  kind: 'samverkansmöte',
  date: '2024-03-20',
  time: '13:00',
  createdBy: 'k',
  createdAt: AT,
  updatedAt: AT,
  revision: 1,
};
const reporter = { aadObjectId: 'u1', party: 'Polisen', registeredAt: AT, active: true };
const override = {
  id: 'o1',
  agreementId: 'tranas-2023-2024',
  pledgeNumber: 2,
  level: 'atRisk',
  reason: 'färre resurser i sommar',
  by: 'k',
  at: AT,
};
const link = { agreementId: 'tranas-2023-2024', conversationId: '19:abc@thread.tacv2', linkedBy: 'k', linkedAt: AT };
const conversation = {
  id: 'a:1',
  kind: 'personal',
  serviceUrl: 'https://smba.example/',
  reference: {},
  active: true,
  updatedAt: AT,
};
const coordinator = { aadObjectId: 'k2', addedBy: 'k', addedAt: AT };
const marker = { key: 'privacyGuard', value: 3, at: AT };

/** Each record schema with a valid record and the same record made wrong in one field. */
const cases: { name: string; schema: z.ZodTypeAny; valid: unknown; wrong: unknown }[] = [
  {
    name: 'agreement',
    schema: AgreementSchema,
    valid: TRANAS_2023_2024,
    wrong: { ...TRANAS_2023_2024, periodEnd: '2022-01-01' },
  },
  { name: 'report', schema: WeeklyReportSchema, valid: storedReport(), wrong: { ...storedReport(), week: '2024-10' } },
  {
    name: 'report content',
    schema: ReportContentSchema,
    valid: (({ id: _i, ...c }) => c)(storedReport()),
    wrong: { ...storedReport(), count: -1 },
  },
  {
    name: 'report change',
    schema: ReportChangeSchema,
    valid: { at: AT, by: 'u1', action: 'edited', previous: { count: 4 } },
    wrong: { at: AT, by: 'u1', action: 'deleted' },
  },
  { name: 'meeting', schema: MeetingSchema, valid: meeting, wrong: { ...meeting, time: '1300' } },
  { name: 'reporter', schema: ReporterSchema, valid: reporter, wrong: { ...reporter, party: 'Båda' } },
  { name: 'override', schema: StoredOverrideSchema, valid: override, wrong: { ...override, level: 'late' } },
  { name: 'channel link', schema: ChannelLinkSchema, valid: link, wrong: { ...link, conversationId: '' } },
  {
    name: 'conversation',
    schema: StoredConversationSchema,
    valid: conversation,
    wrong: { ...conversation, kind: 'meeting' },
  },
  {
    name: 'coordinator',
    schema: StoredCoordinatorSchema,
    valid: coordinator,
    wrong: { ...coordinator, aadObjectId: '' },
  },
  { name: 'marker', schema: StoredMarkerSchema, valid: marker, wrong: { ...marker, value: '3' } },
  { name: 'party', schema: PartySchema, valid: 'Båda', wrong: 'polisen' },
  { name: 'reporting party', schema: ReportingPartySchema, valid: 'Kommunen', wrong: 'Båda' },
  { name: 'status level', schema: StatusLevelSchema, valid: 'behind', wrong: 'late' },
];

describe('the domain model', () => {
  for (const c of cases) {
    it(`the ${c.name} schema accepts a valid record and rejects a wrong one`, () => {
      const ok = c.schema.safeParse(c.valid);
      assert.ok(ok.success, ok.success ? '' : JSON.stringify(ok.error.issues));
      assert.equal(c.schema.safeParse(c.wrong).success, false);
    });
  }

  it('declares the parties once: the two that report, and an activity owner that may be both', () => {
    assert.deepEqual([...REPORTING_PARTIES], ['Polisen', 'Kommunen']);
    assert.deepEqual([...PARTIES], ['Polisen', 'Kommunen', 'Båda']);
    assert.ok(isParty('Båda') && !isReportingParty('Båda') && isReportingParty('Polisen') && !isParty('polisen'));
    assert.equal(reportingPartyOf(' polisen '), 'Polisen');
    assert.equal(reportingPartyOf('KOMMUNEN'), 'Kommunen');
    assert.equal(reportingPartyOf('Båda'), undefined);
    assert.equal(reportingPartyOf('polis'), undefined);
  });

  it('names every status level and every meeting kind once', () => {
    assert.deepEqual([...STATUS_LEVELS], ['onTrack', 'atRisk', 'behind', 'achieved', 'noTarget']);
    assert.deepEqual(
      [...MEETING_KINDS],
      ['samverkansmöte', 'EST-möte', 'SSPF', 'styrgrupp', 'tertialuppföljning', 'annat'],
    );
  });
});

describe('the stored documents are built from the domain schemas', () => {
  const db = (extra: Record<string, unknown[]>) => ({ ...emptyDb(), agreements: [TRANAS_2023_2024], ...extra });
  const weekFile = (reports: unknown[]) => ({ schemaVersion: REPORT_FILE_VERSION, week: '2024-W10', reports });

  it('holds the domain schemas themselves, not copies', () => {
    const shape = DbSchema.shape;
    assert.equal(shape.agreements.element, AgreementSchema);
    assert.equal(shape.conversations.element, StoredConversationSchema);
    assert.equal(shape.overrides.element, StoredOverrideSchema);
    assert.equal(shape.reporters.element, ReporterSchema);
    assert.equal(shape.meetings.element, MeetingSchema);
    assert.equal(shape.channelLinks.element, ChannelLinkSchema);
    assert.equal(shape.coordinators.element, StoredCoordinatorSchema);
    assert.equal(shape.markers.removeDefault().element, StoredMarkerSchema);
    assert.equal(ReportFileSchema.shape.reports.element, WeeklyReportSchema);
  });

  it('a data file holding one valid record of each kind loads', () => {
    const r = DbSchema.safeParse(
      db({
        meetings: [meeting],
        reporters: [reporter],
        overrides: [override],
        channelLinks: [link],
        conversations: [conversation],
        coordinators: [coordinator],
        markers: [marker],
      }),
    );
    assert.ok(r.success, r.success ? '' : JSON.stringify(r.error.issues));
  });

  for (const c of cases) {
    const field = (
      {
        meeting: 'meetings',
        reporter: 'reporters',
        override: 'overrides',
        'channel link': 'channelLinks',
        conversation: 'conversations',
        coordinator: 'coordinators',
        marker: 'markers',
        agreement: 'agreements',
      } as Record<string, string>
    )[c.name];
    if (!field) continue;
    it(`a stored ${c.name} the domain rejects is rejected in the data file too`, () => {
      assert.equal(DbSchema.safeParse(db({ [field]: [c.wrong] })).success, false);
    });
  }

  it('a report the domain rejects is rejected in a week file too, and a valid one is kept whole', () => {
    const report = storedReport({
      ageBands: { under18: 1, from18to21: 0, over21: 0 },
      history: [{ at: AT, by: 'u1', action: 'edited', previous: { count: 4 } }],
    });
    const ok = ReportFileSchema.safeParse(weekFile([report]));
    assert.ok(ok.success);
    assert.deepEqual(ok.data.reports[0], report);
    for (const wrong of [
      { ...report, week: '2024-10' },
      { ...report, party: 'polisen' },
      { ...report, ageBands: { under18: -1, from18to21: 0, over21: 0 } },
      { ...report, history: [{ at: AT, by: 'u1', action: 'deleted' }] },
    ]) {
      assert.equal(WeeklyReportSchema.safeParse(wrong).success, false);
      assert.equal(ReportFileSchema.safeParse(weekFile([wrong])).success, false, JSON.stringify(wrong));
    }
  });
});

describe('the model is declared once', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
    });

  it('src/app/ports.ts declares ports only: every export is an interface', () => {
    const exports = [...readFileSync('src/app/ports.ts', 'utf8').matchAll(/^export\s+(\w+)/gm)].map((m) => m[1]);
    assert.ok(exports.length > 0);
    assert.deepEqual([...new Set(exports)], ['interface']);
  });

  it('spells the set of reporting parties only in src/domain/party.ts', () => {
    const spelled = sources('src').filter(
      (f) =>
        f !== join('src', 'domain', 'party.ts') &&
        /'Polisen'\s*\|\s*'Kommunen'|\[\s*'Polisen',\s*'Kommunen'\s*\]|\(Polisen\|Kommunen\)/.test(
          readFileSync(f, 'utf8'),
        ),
    );
    assert.deepEqual(spelled, []);
  });
});
