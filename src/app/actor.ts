/** Who is acting: identified by AAD object id (not by tenant: shared channels span two tenants). */
export interface Actor {
  id: string;
  tenantId?: string;
  /** A coordinator of `scope` (or a deployment operator from COORDINATOR_IDS). */
  isCoordinator: boolean;
  /**
   * The municipality (src/domain/scope.ts) the turn is about, resolved once from the conversation
   * by the Teams layer. Absent: the deployment's only scope, if it has one (CLI, single scope).
   */
  scope?: string;
}
