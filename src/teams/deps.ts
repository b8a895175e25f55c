import type { AccessService } from '../app/access.js';
import type { AgreementService } from '../app/agreements.js';
import type { ChannelService } from '../app/channel-links.js';
import type { MeetingService } from '../app/meetings.js';
import type { ReporterService } from '../app/reporters.js';
import type { Clock } from '../app/clock.js';
import type { ConversationService } from '../app/conversations.js';
import type { QuestionService } from '../app/questions.js';
import type { ReportService } from '../app/reports.js';
import type { RoleService } from '../app/roles.js';
import type { ScopeService } from '../app/scopes.js';
import type { StatusService } from '../app/status.js';
import type { CoordinationService } from '../app/coordination.js';
import type { AuditExportService, ExportService } from '../app/export.js';
import type { Logger } from '../logger.js';
import type { DeliveryEngine } from '../app/delivery/index.js';
import type { LanguageModelDeps } from './llm.js';
import type { FollowUpReportService } from '../app/follow-up-report.js';
import type { DownloadLinks } from '../http/downloads.js';
import type { ReminderPlan } from '../app/reminders.js';

/** The use cases the Teams layer calls. */
export interface BotDeps {
  agreements: AgreementService;
  conversations: ConversationService;
  reports: ReportService;
  status: StatusService;
  coordination: CoordinationService;
  questions: QuestionService;
  roles: RoleService;
  /** Which municipality a conversation and a person belong to (one deployment, many municipalities). */
  scopes: ScopeService;
  channels: ChannelService;
  reporters: ReporterService;
  meetings: MeetingService;
  /** The follow-up both parties sign (issue #15); absent in tests that build a bot without it. */
  followUps?: FollowUpReportService;
  access: AccessService;
  exports: ExportService;
  auditExports: AuditExportService;
  /** Proactive delivery (reminders); `påminnelser` reads its ledger. */
  delivery?: DeliveryEngine;
  clock: Clock;
  logger: Logger;
  botAppId?: string;
  /**
   * Local development (no BOT_ID, the Agents Playground): nothing is authenticated anyway, so a
   * person without an AAD object id is known by `from.id`. With authentication on, never.
   */
  devMode?: boolean;
  /** The optional language model for questions the parser does not understand (src/teams/llm.ts). */
  llm?: LanguageModelDeps;
  /** Signed, short-lived links to files the bot makes (calendar invitations, follow-up documents). */
  downloads?: DownloadLinks;
  /** How long a download link lives (DOWNLOAD_LINK_MINUTES), to tell people until when. */
  downloadMinutes?: number;
  /** `påminnelser`: what the reminder policy plans for a municipality and what its ledger holds. */
  reminderPlan?: (scope: string | undefined) => Promise<ReminderPlan | undefined>;
}
