/** The structured query a chat question becomes, and the examples shown when one is declined. */
import type { ReportingParty } from '../party.js';
import type { IsoWeek, LocalDate, Tertial } from '../calendar.js';

/** The time a question is about, resolved against today. */
export type Window =
  | { kind: 'week'; week: IsoWeek }
  /** A calendar month, 'YYYY-MM'. */
  | { kind: 'month'; month: string }
  | { kind: 'tertial'; tertial: Tertial }
  | { kind: 'year'; year: number }
  /** Inclusive local dates: "sedan 1 september", "senaste månaden", "de senaste fyra veckorna". */
  | { kind: 'range'; from: LocalDate; to: LocalDate }
  | { kind: 'period' };

/** The age bands reports of youth activities carry. */
export type AgeBand = 'under18' | 'from18to21' | 'over21';
export const AGE_BANDS: readonly AgeBand[] = ['under18', 'from18to21', 'over21'];

/**
 * Filters a counting question may carry. Optional keys are left out, never undefined, so two equal
 * questions compare equal with deepEqual.
 */
export interface Filters {
  party?: ReportingParty;
  area?: string;
  ageBand?: AgeBand;
}

/** How a count is broken down: per area ("per område"), per age band or per party. */
export type GroupBy = 'area' | 'ageBand' | 'party';

export type Question =
  /** "hur går det?", "läget?", "how are we doing" */
  | { kind: 'overallStatus' }
  /** "hur går löfte 2", "hur går det med trafiken", "narkotikan" */
  | { kind: 'pledgeStatus'; pledgeNumber: number }
  /** "hur går det med krogkontrollerna" — an activity clearly named; pledgeNumber is its pledge. */
  | { kind: 'activityStatus'; activityId: string; pledgeNumber: number }
  /**
   * "hur många trafikkontroller i år?". activityIds empty = all activities (of pledgeNumber when set).
   * pledgeNumber is set whenever the question names a pledge (by number or by a pledge keyword).
   */
  | ({ kind: 'count'; activityIds: string[]; pledgeNumber?: number; window: Window; groupBy?: GroupBy } & Filters)
  /** "vad har gjorts i centrum?": the latest reports. */
  | ({ kind: 'recent'; pledgeNumber?: number; activityIds?: string[] } & Omit<Filters, 'ageBand'>)
  /** "sammanfatta tertial 2", "vad gjorde polisen vecka 10": totals per activity and the latest items in a window. */
  | ({ kind: 'summary'; window: Window; pledgeNumber?: number; activityIds?: string[] } & Omit<Filters, 'ageBand'>)
  /** "har vi nått målet?", "hur många till behövs?": progress of target-bearing activities (empty = all). */
  /** Goal progress; `year`: a past year of the period, judged as it ended. */
  | { kind: 'goal'; activityIds: string[]; pledgeNumber?: number; year?: number }
  /** "hur många rapporter vecka 10?", "hur många har rapporterat?": reports and reporters in a window. */
  | { kind: 'reports'; window: Window; party?: ReportingParty }
  /** "trafikkontroller i år jämfört med i fjol": a window against the one before it. */
  | ({ kind: 'compare'; activityIds: string[]; pledgeNumber?: number; window: Window; previous: Window } & Omit<
      Filters,
      'ageBand'
    >)
  /** "vilka ligger efter?", "är något i risk?": activities at Risk or Efter, by the status rules. */
  | { kind: 'behind' }
  /** `week`: a past week of the period ("vilka har inte rapporterat förra veckan?"); this week when absent. */
  | { kind: 'missingReporters'; week?: IsoWeek }
  | { kind: 'nextMeeting' }
  /** "vad ska vi ta upp på nästa möte?": flagged reports and the next meeting's agenda. */
  | { kind: 'raise' }
  /** "vilka är målen?", "vad är målet för trafikkontroller" */
  | { kind: 'targets'; activityIds?: string[]; pledgeNumber?: number }
  /**
   * Declined. notUnderstood names the words of the question that were not used (a time, a party, a
   * place, a number, a name …): the answer says so and gives no figure for a different question.
   */
  | { kind: 'unknown'; notUnderstood?: string[] };

export const DEFAULT_AREAS: readonly string[] = [
  'Centrum',
  'Resecentrum',
  'Krogmiljön',
  'Skolor',
  'Hela kommunen',
  'Annat',
];

export interface QuestionOptions {
  /** Area names reports use; "vad har gjorts i centrum" picks one of them. */
  areas?: readonly string[];
}

/** What the parser made of a question: the query, the words it used and the words it did not understand. */
export interface ParsedQuestion {
  question: Question;
  /** The words (as typed, folded) the query was built from. */
  used: string[];
  /** Content words that were not used; non-empty means the question is declined. */
  notUnderstood: string[];
}

/** Shown when a question is not understood. */
export const QUESTION_EXAMPLES_SV: string[] = [
  'Hur går det?',
  'Hur går löfte 2?',
  'Hur många trafikkontroller i år?',
  'Trafikkontroller vecka 10 polisen',
  'Hur många krogkontroller i oktober?',
  'Sammanfatta tertial 2',
  'Vad har kommunen gjort senaste månaden?',
  'Har vi nått målet för trafikkontroller?',
  'Trafikkontroller per område',
  'Hur många under 18 har vi nått i år?',
  'Vilka aktiviteter ligger efter?',
  'Vad ska vi ta upp på nästa möte?',
  'Vem har inte rapporterat?',
];

export const QUESTION_EXAMPLES_EN: string[] = [
  'How are we doing?',
  'How is promise 2 going?',
  'How many traffic checks this year?',
  'Traffic checks in week 10 by the police',
  'Summarise tertial 2',
  'Have we reached the target for traffic checks?',
  'What is behind?',
  'What should we raise at the next meeting?',
  'Who has not reported?',
];
