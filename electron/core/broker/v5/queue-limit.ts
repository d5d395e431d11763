// A maximum length for each session's stored queue (mosquitto's max_queued_messages): when a new message
// would make the queue longer, the oldest message not yet sent is dropped and counted. Wraps the three
// persistence calls that add and remove queued messages, so it works for any aedes persistence that
// follows aedes-persistence's contract (clearing by an undefined packet id removes the oldest unsent one).

interface QueuePersistence {
  outgoingEnqueue(sub: { clientId: string }, packet: any): Promise<void>;
  outgoingEnqueueCombi(subs: { clientId: string }[], packet: any): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: { messageId?: number }): Promise<any>;
  cleanSubscriptions(client: { id: string }): Promise<void>;
}

export class QueueLimit {
  private readonly length = new Map<string, number>();
  private readonly droppedBy = new Map<string, number>();
  /** All messages dropped because a queue was full, since the broker started. */
  total = 0;

  constructor(persistence: QueuePersistence, private max: number, private onDrop: (clientId: string) => void) {
    const enqueue = persistence.outgoingEnqueue.bind(persistence);
    const enqueueCombi = persistence.outgoingEnqueueCombi.bind(persistence);
    const clear = persistence.outgoingClearMessageId.bind(persistence);
    persistence.outgoingEnqueue = async (sub, packet) => {
      await enqueue(sub, packet);
      await this.added(sub.clientId, clear);
    };
    persistence.outgoingEnqueueCombi = async (subs, packet) => {
      await enqueueCombi(subs, packet);
      for (const sub of subs) await this.added(sub.clientId, clear);
    };
    persistence.outgoingClearMessageId = async (client, packet) => {
      const removed = await clear(client, packet);
      if (removed) {
        const n = (this.length.get(client.id) ?? 1) - 1;
        if (n > 0) this.length.set(client.id, n); else this.length.delete(client.id);
      }
      return removed;
    };
    // A session that ends (Clean Start, expiry) takes its drop count with it; a new one starts at 0.
    const cleanSubscriptions = persistence.cleanSubscriptions.bind(persistence);
    persistence.cleanSubscriptions = async (client) => {
      this.droppedBy.delete(client.id);
      return cleanSubscriptions(client);
    };
  }

  dropped(clientId: string): number { return this.droppedBy.get(clientId) ?? 0; }

  private async added(clientId: string, clear: QueuePersistence['outgoingClearMessageId']): Promise<void> {
    const n = (this.length.get(clientId) ?? 0) + 1;
    this.length.set(clientId, n);
    if (this.max > 0 && n > this.max) {
      // undefined id = the oldest message that has not been sent (sent ones keep their slot until acked)
      const removed = await clear({ id: clientId }, { messageId: undefined });
      if (removed) {
        this.length.set(clientId, n - 1);
        this.droppedBy.set(clientId, this.dropped(clientId) + 1);
        this.total++;
        this.onDrop(clientId);
      }
    }
  }
}
