import type { Actor } from './actor.js';
import type { Store } from './ports.js';

/**
 * Who is a coordinator: the AAD object ids in COORDINATOR_IDS, plus those a coordinator added in
 * chat. People are identified by AAD object id, never by tenant alone (shared channels span two).
 */
export class RoleService {
  private readonly configured: Set<string>;
  constructor(
    private readonly store: Store,
    coordinatorIds: string[],
  ) {
    this.configured = new Set(coordinatorIds.map((id) => id.toLowerCase()));
  }

  async isCoordinator(aadObjectId: string): Promise<boolean> {
    const id = aadObjectId.toLowerCase();
    if (this.configured.has(id)) return true;
    const stored = await this.store.coordinators.get(id);
    return Boolean(stored && !stored.removedAt);
  }

  async actor(aadObjectId: string, tenantId?: string): Promise<Actor> {
    return { id: aadObjectId, tenantId, isCoordinator: await this.isCoordinator(aadObjectId) };
  }
}
