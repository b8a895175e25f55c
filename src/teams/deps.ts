import type { AgreementService } from '../app/agreements.js';
import type { Clock } from '../app/clock.js';
import type { ConversationService } from '../app/conversations.js';
import type { QuestionService } from '../app/questions.js';
import type { ReportService } from '../app/reports.js';
import type { RoleService } from '../app/roles.js';
import type { StatusService } from '../app/status.js';
import type { Logger } from '../logger.js';

/** The use cases the Teams layer calls. */
export interface BotDeps {
  agreements: AgreementService;
  conversations: ConversationService;
  reports: ReportService;
  status: StatusService;
  questions: QuestionService;
  roles: RoleService;
  clock: Clock;
  logger: Logger;
  botAppId?: string;
}
