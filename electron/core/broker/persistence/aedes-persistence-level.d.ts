// aedes-persistence-level ships no typings; the part we use: the promise-based store (aedes 2's interface).
declare module 'aedes-persistence-level/asyncPersistence.js' {
  class AsyncLevelPersistence {
    constructor(db: unknown);
    delWill(client: unknown): Promise<unknown>;
    outgoingClearMessageId(client: { id: string }, packet: { messageId?: number }): Promise<unknown>;
    outgoingStream(client: { id: string }): AsyncIterable<unknown>;
  }
  export = AsyncLevelPersistence;
}
