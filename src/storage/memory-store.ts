import type { Agreement } from '../domain/agreement.js';
import type { ChannelLink } from '../domain/channel-link.js';
import type { ConversationKind, StoredConversation } from '../domain/conversation.js';
import type { StoredCoordinator } from '../domain/coordinator.js';
import type { StoredMarker } from '../domain/marker.js';
import type { StoredFollowUp } from '../domain/follow-up.js';
import type { Meeting } from '../domain/meeting.js';
import type { StoredOverride } from '../domain/override.js';
import type { Reporter } from '../domain/reporter.js';
import type {
  AgreementCollection,
  AgreementRepository,
  Collection,
  ConversationRepository,
  FollowUpRepository,
  Store,
  StoreHealth,
} from '../app/ports.js';
import { ReportIndex } from './report-index.js';
import { emptyDb, SCHEMA_VERSION, type DbData } from './schema.js';
import { deepFreeze } from './freeze.js';

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

/** Puts memory back as it was before one change. */
type Undo = () => void;

/**
 * Changes to the document, written as a group: a change is applied to memory at once (reads see
 * it), and acknowledged only when a write that holds it is done. While a write is in flight no
 * other starts: changes arriving meanwhile go into the next write together. A write that fails
 * undoes its changes in memory (newest first) before their callers hear of it, so a change the user
 * was told failed can never be carried to disk later by an unrelated write.
 */
class DocumentWriter {
  private batch: { undo: Undo; resolve: () => void; reject: (err: Error) => void }[] = [];
  private flushing = false;

  constructor(private readonly persist: () => Promise<void>) {}

  commit(change: () => Undo | undefined): Promise<void> {
    const undo = change();
    if (!undo) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.batch.push({ undo, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.batch.length > 0) {
      const batch = this.batch;
      this.batch = [];
      try {
        // lowdb serialises the document synchronously here: this write holds exactly this batch
        // (and what earlier batches left), never a later change.
        await this.persist();
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of [...batch].reverse()) b.undo();
        for (const b of batch) b.reject(err as Error);
      }
    }
    this.flushing = false;
  }
}

/** Replaces the item at `i` (or appends) and returns how to put the list back; by identity, so later changes stay. */
function replaceIn<T>(list: T[], i: number, item: T): Undo {
  const previous = i >= 0 ? list[i] : undefined;
  if (i >= 0) list[i] = item;
  else list.push(item);
  return () => {
    const j = list.indexOf(item);
    if (j < 0) return; // replaced again since: the later change decides
    if (previous !== undefined) list[j] = previous;
    else list.splice(j, 1);
  };
}

/**
 * Repositories over a plain document. The memory store uses it directly; the lowdb store passes a
 * `persist` that writes the document to disk before a change is acknowledged.
 */
/** A list in the document, keyed by one field. */
function collection<T>(items: () => T[], key: (item: T) => string, writer: DocumentWriter): Collection<T> {
  return {
    list: async () => shared(items()).slice(),
    get: async (k) => shared(items()).find((x) => key(x) === k),
    put: (item) =>
      writer.commit(() => {
        const list = items();
        return replaceIn(
          list,
          list.findIndex((x) => key(x) === key(item)),
          frozenCopy(item),
        );
      }),
  };
}

/** A list of records that each belong to one agreement. */
function agreementCollection<T extends { agreementId: string }>(
  items: () => T[],
  key: (item: T) => string,
  writer: DocumentWriter,
): AgreementCollection<T> {
  return {
    ...collection(items, key, writer),
    listOf: async (agreementId) => shared(items()).filter((x) => x.agreementId === agreementId),
  };
}

export class DocumentRepositories {
  readonly agreements: AgreementRepository;
  readonly conversations: ConversationRepository;
  readonly overrides: AgreementCollection<StoredOverride>;
  readonly reporters: Collection<Reporter>;
  readonly meetings: AgreementCollection<Meeting>;
  readonly channelLinks: Collection<ChannelLink>;
  readonly coordinators: Collection<StoredCoordinator>;
  readonly markers: Collection<StoredMarker>;
  readonly followUps: FollowUpRepository;

  constructor(
    private readonly data: () => DbData,
    persist: () => Promise<void>,
  ) {
    const writer = new DocumentWriter(persist);
    this.agreements = {
      list: async () => shared(this.data().agreements).slice(),
      get: async (id) => shared(this.data().agreements).find((a) => a.id === id),
      addIfAbsent: async (agreement: Agreement) => {
        let added = false;
        await writer.commit(() => {
          if (this.data().agreements.some((a) => a.id === agreement.id)) return undefined;
          added = true;
          return replaceIn(this.data().agreements, -1, frozenCopy(agreement));
        });
        return added;
      },
      save: (agreement: Agreement) =>
        writer.commit(() => {
          const list = this.data().agreements;
          return replaceIn(
            list,
            list.findIndex((a) => a.id === agreement.id),
            frozenCopy(agreement),
          );
        }),
    };
    this.overrides = agreementCollection(
      () => this.data().overrides,
      (o) => o.id,
      writer,
    );
    this.reporters = collection(
      () => this.data().reporters,
      (r) => r.aadObjectId,
      writer,
    );
    this.meetings = agreementCollection(
      () => this.data().meetings,
      (m) => m.id,
      writer,
    );
    this.channelLinks = collection(
      () => this.data().channelLinks,
      (l) => l.agreementId,
      writer,
    );
    this.coordinators = collection(
      () => this.data().coordinators,
      (c) => c.aadObjectId,
      writer,
    );
    this.markers = collection(
      () => this.data().markers,
      (m) => m.key,
      writer,
    );
    const followUps = () => this.data().followUps;
    const sameFollowUp = (a: StoredFollowUp, b: { agreementId: string; periodKey: string }) =>
      a.agreementId === b.agreementId && a.periodKey === b.periodKey;
    this.followUps = {
      get: async (agreementId, periodKey) =>
        shared(followUps()).find((f) => sameFollowUp(f, { agreementId, periodKey })),
      listOf: async (agreementId) => shared(followUps()).filter((f) => f.agreementId === agreementId),
      save: async (followUp) => {
        let saved = false;
        await writer.commit(() => {
          const list = followUps();
          const i = list.findIndex((f) => sameFollowUp(f, followUp));
          // Compare-and-set: decided when the change is applied, so a racing write is refused.
          if ((list[i]?.version ?? 0) !== followUp.version - 1) return undefined;
          saved = true;
          return replaceIn(list, i, frozenCopy(followUp));
        });
        return saved;
      },
    };
    this.conversations = {
      upsert: (c: StoredConversation) =>
        writer.commit(() => {
          const list = this.data().conversations;
          return replaceIn(
            list,
            list.findIndex((x) => x.id === c.id),
            frozenCopy(c),
          );
        }),
      get: async (id) => shared(this.data().conversations).find((c) => c.id === id),
      list: async (filter?: { active?: boolean; kind?: ConversationKind }) =>
        shared(this.data().conversations).filter(
          (c) =>
            (filter?.active === undefined || c.active === filter.active) &&
            (filter?.kind === undefined || c.kind === filter.kind),
        ),
      setActive: (id, active, at) =>
        writer.commit(() => {
          const list = this.data().conversations;
          const i = list.findIndex((x) => x.id === id);
          const c = list[i];
          if (!c || c.active === active) return undefined;
          return replaceIn(list, i, frozenCopy({ ...c, active, updatedAt: at }));
        }),
    };
  }
}

export class MemoryStore implements Store {
  private readonly doc: DbData = emptyDb();
  private readonly repos = new DocumentRepositories(
    () => this.doc,
    async () => {},
  );
  private open = true;
  readonly agreements = this.repos.agreements;
  readonly conversations = this.repos.conversations;
  readonly overrides = this.repos.overrides;
  readonly reporters = this.repos.reporters;
  readonly meetings = this.repos.meetings;
  readonly channelLinks = this.repos.channelLinks;
  readonly coordinators = this.repos.coordinators;
  readonly markers = this.repos.markers;
  readonly followUps = this.repos.followUps;
  readonly reports = new ReportIndex();

  health(): StoreHealth {
    return {
      state: this.open ? 'open' : 'closed',
      kind: 'memory',
      schemaVersion: SCHEMA_VERSION,
      reports: this.reports.size,
    };
  }

  async close(): Promise<void> {
    this.open = false;
  }
}
