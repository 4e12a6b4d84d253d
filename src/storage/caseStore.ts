/**
 * The agent queue's handoff cases: small JSON records, one per conversation, that every instance
 * sharing the store can list. The hub owns their shape; a store only keeps and lists them.
 */
export interface CaseStore {
  put(conversationId: string, record: object): Promise<void>;
  get(conversationId: string): Promise<unknown>;
  list(): Promise<unknown[]>;
  delete(conversationIds: readonly string[]): Promise<void>;
}
