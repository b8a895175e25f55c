/** Who is acting: identified by AAD object id (not by tenant: shared channels span two tenants). */
export interface Actor {
  id: string;
  tenantId?: string;
  isCoordinator: boolean;
}
