import type { Actor } from './actor.js';
import type { ScopeService } from './scopes.js';

/**
 * Who is a coordinator, per municipality (scope): the AAD object ids in COORDINATOR_IDS (the
 * deployment's operators: every scope), plus those a coordinator added in chat, for the scopes they
 * were added in. People are identified by AAD object id, never by tenant alone (shared channels span two).
 */
export class RoleService {
  constructor(private readonly scopes: ScopeService) {}

  isCoordinator(aadObjectId: string, scope?: string): Promise<boolean> {
    return this.scopes.isCoordinatorOf(aadObjectId, scope);
  }

  /** The acting person in `scope` (the turn's municipality; absent: the deployment's only one). */
  async actor(aadObjectId: string, tenantId?: string, scope?: string): Promise<Actor> {
    return {
      id: aadObjectId,
      tenantId,
      isCoordinator: await this.isCoordinator(aadObjectId, scope),
      ...(scope !== undefined ? { scope } : {}),
    };
  }
}
