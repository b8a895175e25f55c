import type { Agreement } from '../../src/domain/agreement.js';
import { isoWeekOfLocalDate } from '../../src/domain/calendar.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { USER } from './activities.js';

let seq = 0;

/**
 * A stored report with ordinary defaults (Tranås, trafikkontroller, vecka 10 2024, flagged for the
 * next meeting, a free text that passes the privacy guard); `extra` overrides any field.
 */
export function storedReport(extra: Partial<WeeklyReport> = {}): WeeklyReport {
  seq++;
  return {
    id: `r-${seq}`,
    submissionId: `s-${seq}`,
    agreementId: 'tranas-2023-2024',
    reporterId: USER.aadObjectId,
    week: '2024-W10',
    activityId: 'trafikkontroller',
    pledgeNumber: 3,
    count: 5,
    date: '2024-03-05',
    area: 'Centrum',
    description: 'Trafikkontroll kl. 22.30 på väg 32, 45 fordon',
    raiseAtNextMeeting: true,
    party: 'Polisen',
    createdAt: `2024-03-05T10:00:${String(seq % 60).padStart(2, '0')}.000Z`,
    updatedAt: '2024-03-05T10:00:00.000Z',
    history: [],
    ...extra,
  };
}

/** `count` of `activityId` on `date`, without free text: the week and the löfte follow from the date and the agreement. */
export function reportOn(
  agreement: Agreement,
  date: string,
  count: number,
  activityId: string,
  extra: Partial<WeeklyReport> = {},
): WeeklyReport {
  const { description: _none, ...report } = storedReport({
    agreementId: agreement.id,
    reporterId: 'u1',
    createdAt: `${date}T10:00:00.000Z`,
    updatedAt: `${date}T10:00:00.000Z`,
    week: isoWeekOfLocalDate(date),
    activityId,
    pledgeNumber: agreement.activities.find((a) => a.id === activityId)?.pledgeNumber ?? 1,
    count,
    date,
    raiseAtNextMeeting: false,
  });
  return { ...report, ...extra } as WeeklyReport;
}
