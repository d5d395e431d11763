// Broker persistence on disk: aedes-persistence-level (moscajs, the LevelDB store aedes 2 lists as a peer)
// on classic-level. Sessions, subscriptions, retained messages, queued and in-flight QoS 1/2 messages and
// wills survive a restart. Each write reaches the operating system before its promise resolves (LevelDB's
// log, no fsync per write): a killed broker loses nothing it acknowledged; a power cut may lose the last
// writes the OS had not flushed yet.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

interface QueuedPacket { messageId?: number | null; brokerId: string; brokerCounter: number }

export interface BrokerStore {
  /** Handed to aedes as its persistence. */
  persistence: unknown;
  /** Client ids with a stored session (subscriptions or queued messages), for the offline-sessions table. */
  sessionClientIds(): Promise<string[]>;
  close(): Promise<void>;
}

export async function openBrokerStore(dir: string): Promise<BrokerStore> {
  try { await mkdir(dir, { recursive: true }); } catch (e) {
    throw new Error(`persistence directory ${dir} cannot be created: ${(e as Error).message}`);
  }
  // Loaded only when persistence is on: the native LevelDB binding stays out of every other start.
  const { ClassicLevel } = await import('classic-level');
  const mod = await import('aedes-persistence-level/asyncPersistence.js');
  type Ctor = typeof import('aedes-persistence-level/asyncPersistence.js');
  const Base = ((mod as { default?: Ctor }).default ?? mod) as Ctor;
  /**
   * Two gaps between the level store and aedes-persistence's contract (which the memory store meets):
   * aedes 2 deletes a will for every client, also for those without one, and the level store throws then;
   * clearing with an undefined message id must remove the oldest queued message not yet sent (the queue
   * limit relies on it), which the level store cannot find by id.
   */
  class Store extends Base {
    override async delWill(client: unknown) {
      try { return await super.delWill(client); } catch (e) {
        if ((e as Error).message !== 'Will not found') throw e;
        return undefined;
      }
    }

    override async outgoingClearMessageId(client: { id: string }, packet: { messageId?: number }) {
      if (packet.messageId !== undefined) return super.outgoingClearMessageId(client, packet);
      for await (const queued of this.outgoingStream(client) as AsyncIterable<QueuedPacket>) {
        if (queued.messageId != null) continue; // sent, waiting for its ack (msgpack turns a missing id into null)
        // The store's key for a queued message (aedes-persistence-level's outgoingKey).
        await db.del(`outgoing:${encodeURIComponent(client.id)}:${queued.brokerId}:${String(queued.brokerCounter).padStart(16, '0')}`);
        return queued;
      }
      return undefined;
    }
  }
  const path = join(dir, 'mqscope-broker.leveldb');
  const db = new ClassicLevel<string, Buffer>(path);
  try { await db.open(); } catch (e) {
    const cause = (e as { cause?: Error }).cause?.message ?? (e as Error).message;
    throw new Error(/lock/i.test(cause)
      ? `persistence store ${path} is in use by another running broker`
      : `persistence store ${path} cannot be opened: ${cause}`);
  }
  return {
    persistence: new Store(db),
    sessionClientIds: async () => {
      // The store's keys are "subscriptions:<client id>:<filter>" and "outgoing:<client id>:…", ids URI-encoded.
      const ids = new Set<string>();
      for (const prefix of ['subscriptions:', 'outgoing:']) {
        for await (const key of db.keys({ gt: prefix, lt: `${prefix}\xff` })) {
          ids.add(decodeURIComponent(key.slice(prefix.length).split(':')[0]));
        }
      }
      return [...ids];
    },
    close: async () => { await db.close(); },
  };
}
