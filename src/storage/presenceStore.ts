/**
 * Agents' presence: one small JSON record per agent (their last heartbeat), kept where every
 * instance sharing the store reads it, so an agent online on one instance counts on all of them.
 * src/handoff/presence.ts owns the records' shape; a store only keeps and lists them.
 */
export interface PresenceStore {
  put(agent: string, record: object): Promise<void>;
  list(): Promise<unknown[]>;
}
