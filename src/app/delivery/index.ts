// Proactive delivery: the engine, its ports and the pieces other layers use.
export { DEFAULT_DELIVERY_OPTIONS, DeliveryEngine, type DeliveryDeps, type DeliveryOptions } from './engine.js';
export { MemorySendBudget, spacingMs, type SendBudget } from './budget.js';
export { DeliveryError, type DeliveryErrorDetails } from './errors.js';
export {
  backoffDelay,
  parseRetryAfter,
  realSleep,
  TEAMS_CONVERSATION_LIMITS,
  TEAMS_TENANT_LIMITS,
  WindowLimiter,
  type BackoffSettings,
  type RateWindow,
  type Sleep,
} from './pacing.js';
export type {
  ClaimedRow,
  DeliveryItem,
  DeliveryLedger,
  DeliveryOccurrence,
  DeliveryTarget,
  Mention,
  OccurrenceCounts,
  OccurrenceOverview,
  OutgoingMessage,
  OverviewFilter,
  ProactiveSender,
  RecoveryResult,
  RowOutcome,
  RowState,
} from './ports.js';
