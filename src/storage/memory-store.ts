import type { Agreement } from '../domain/agreement.js';
import type { AgreementRepository, ChannelLink, Collection, ConversationKind, ConversationRepository, Meeting, Reporter, Store, StoreHealth, StoredConversation, StoredCoordinator, StoredMarker, StoredOverride } from '../app/ports.js';
import { ReportIndex } from './report-index.js';
import { emptyDb, SCHEMA_VERSION, type DbData } from './schema.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Freeze on write, share on read: what the document holds is deeply frozen, so a read hands out the
 * stored object itself (no copy per read; every turn reads the agreement, the overrides, the
 * meetings, the channel link and its conversation) and nobody can change it behind the store's back:
 * a change goes through put/save/upsert, which store a frozen copy of what they are given (the
 * caller keeps its own object). Lists are fresh arrays of the shared items.
 */
const frozenCopy = <T>(v: T): T => deepFreeze(structuredClone(v));

/** Lists whose items are all frozen: only frozen copies are added to them afterwards. */
const checkedLists = new WeakSet<unknown[]>();

/** Items loaded from disk are frozen the first time their list is read. */
function shared<T>(list: T[]): T[] {
  if (!checkedLists.has(list)) {
    for (const item of list) deepFreeze(item);
    checkedLists.add(list);
  }
  return list;
}

/**
 * Repositories over a plain document. The memory store uses it directly; the lowdb store passes a
 * `persist` that writes the document to disk before a change is acknowledged.
 */
/** A list in the document, keyed by one field. */
function collection<T>(items: () => T[], key: (item: T) => string, persist: () => Promise<void>): Collection<T> {
  return {
    list: async () => shared(items()).slice(),
    get: async (k) => shared(items()).find((x) => key(x) === k),
    put: async (item) => {
      const list = items();
      const i = list.findIndex((x) => key(x) === key(item));
      if (i >= 0) list[i] = frozenCopy(item);
      else list.push(frozenCopy(item));
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
  readonly markers: Collection<StoredMarker>;

  constructor(
    private readonly data: () => DbData,
    private readonly persist: () => Promise<void>,
  ) {
    this.agreements = {
      list: async () => shared(this.data().agreements).slice(),
      get: async (id) => shared(this.data().agreements).find((a) => a.id === id),
      addIfAbsent: async (agreement: Agreement) => {
        if (this.data().agreements.some((a) => a.id === agreement.id)) return false;
        this.data().agreements.push(frozenCopy(agreement));
        await this.persist();
        return true;
      },
      save: async (agreement: Agreement) => {
        const list = this.data().agreements;
        const i = list.findIndex((a) => a.id === agreement.id);
        if (i >= 0) list[i] = frozenCopy(agreement);
        else list.push(frozenCopy(agreement));
        await this.persist();
      },
    };
    this.overrides = collection(() => this.data().overrides, (o) => o.id, persist);
    this.reporters = collection(() => this.data().reporters, (r) => r.aadObjectId, persist);
    this.meetings = collection(() => this.data().meetings, (m) => m.id, persist);
    this.channelLinks = collection(() => this.data().channelLinks, (l) => l.agreementId, persist);
    this.coordinators = collection(() => this.data().coordinators, (c) => c.aadObjectId, persist);
    this.markers = collection(() => this.data().markers, (m) => m.key, persist);
    this.conversations = {
      upsert: async (c: StoredConversation) => {
        const list = this.data().conversations;
        const i = list.findIndex((x) => x.id === c.id);
        if (i >= 0) list[i] = frozenCopy(c);
        else list.push(frozenCopy(c));
        await this.persist();
      },
      get: async (id) => shared(this.data().conversations).find((c) => c.id === id),
      list: async (filter?: { active?: boolean; kind?: ConversationKind }) =>
        shared(this.data().conversations).filter(
          (c) => (filter?.active === undefined || c.active === filter.active) && (filter?.kind === undefined || c.kind === filter.kind),
        ),
      setActive: async (id, active, at) => {
        const list = this.data().conversations;
        const i = list.findIndex((x) => x.id === id);
        const c = list[i];
        if (!c || c.active === active) return;
        list[i] = frozenCopy({ ...c, active, updatedAt: at });
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
  readonly markers = this.repos.markers;
  readonly reports = new ReportIndex();

  health(): StoreHealth {
    return { state: this.open ? 'open' : 'closed', kind: 'memory', schemaVersion: SCHEMA_VERSION, reports: this.reports.size };
  }

  async close(): Promise<void> {
    this.open = false;
  }
}
