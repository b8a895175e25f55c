import type { Agreement } from '../domain/agreement.js';
import type { AgreementRepository, ChannelLink, Collection, ConversationKind, ConversationRepository, Meeting, Reporter, Store, StoreHealth, StoredConversation, StoredCoordinator, StoredOverride } from '../app/ports.js';
import { ReportIndex } from './report-index.js';
import { emptyDb, SCHEMA_VERSION, type DbData } from './schema.js';

const clone = <T>(v: T): T => structuredClone(v);

/**
 * Repositories over a plain document. The memory store uses it directly; the lowdb store passes a
 * `persist` that writes the document to disk before a change is acknowledged.
 */
/** A list in the document, keyed by one field. */
function collection<T>(items: () => T[], key: (item: T) => string, persist: () => Promise<void>): Collection<T> {
  return {
    list: async () => clone(items()),
    get: async (k) => clone(items().find((x) => key(x) === k)),
    put: async (item) => {
      const list = items();
      const i = list.findIndex((x) => key(x) === key(item));
      if (i >= 0) list[i] = clone(item);
      else list.push(clone(item));
      await persist();
    },
  };
}

export class DocumentRepositories {
  readonly agreements: AgreementRepository;
  readonly conversations: ConversationRepository;
  readonly overrides: Collection<StoredOverride>;
  readonly reporters: Collection<Reporter>;
  readonly meetings: Collection<Meeting>;
  readonly channelLinks: Collection<ChannelLink>;
  readonly coordinators: Collection<StoredCoordinator>;

  constructor(
    private readonly data: () => DbData,
    private readonly persist: () => Promise<void>,
  ) {
    this.agreements = {
      list: async () => clone(this.data().agreements),
      get: async (id) => clone(this.data().agreements.find((a) => a.id === id)),
      addIfAbsent: async (agreement: Agreement) => {
        if (this.data().agreements.some((a) => a.id === agreement.id)) return false;
        this.data().agreements.push(clone(agreement));
        await this.persist();
        return true;
      },
      save: async (agreement: Agreement) => {
        const list = this.data().agreements;
        const i = list.findIndex((a) => a.id === agreement.id);
        if (i >= 0) list[i] = clone(agreement);
        else list.push(clone(agreement));
        await this.persist();
      },
    };
    this.overrides = collection(() => this.data().overrides, (o) => o.id, persist);
    this.reporters = collection(() => this.data().reporters, (r) => r.aadObjectId, persist);
    this.meetings = collection(() => this.data().meetings, (m) => m.id, persist);
    this.channelLinks = collection(() => this.data().channelLinks, (l) => l.agreementId, persist);
    this.coordinators = collection(() => this.data().coordinators, (c) => c.aadObjectId, persist);
    this.conversations = {
      upsert: async (c: StoredConversation) => {
        const list = this.data().conversations;
        const i = list.findIndex((x) => x.id === c.id);
        if (i >= 0) list[i] = clone(c);
        else list.push(clone(c));
        await this.persist();
      },
      get: async (id) => clone(this.data().conversations.find((c) => c.id === id)),
      list: async (filter?: { active?: boolean; kind?: ConversationKind }) =>
        clone(
          this.data().conversations.filter(
            (c) => (filter?.active === undefined || c.active === filter.active) && (filter?.kind === undefined || c.kind === filter.kind),
          ),
        ),
      setActive: async (id, active, at) => {
        const c = this.data().conversations.find((x) => x.id === id);
        if (!c || c.active === active) return;
        c.active = active;
        c.updatedAt = at;
        await this.persist();
      },
    };
  }
}

export class MemoryStore implements Store {
  private readonly doc: DbData = emptyDb();
  private readonly repos = new DocumentRepositories(() => this.doc, async () => {});
  private open = true;
  readonly agreements = this.repos.agreements;
  readonly conversations = this.repos.conversations;
  readonly overrides = this.repos.overrides;
  readonly reporters = this.repos.reporters;
  readonly meetings = this.repos.meetings;
  readonly channelLinks = this.repos.channelLinks;
  readonly coordinators = this.repos.coordinators;
  readonly reports = new ReportIndex();

  health(): StoreHealth {
    return { state: this.open ? 'open' : 'closed', kind: 'memory', schemaVersion: SCHEMA_VERSION, reports: this.reports.size };
  }

  async close(): Promise<void> {
    this.open = false;
  }
}
