/** What an agent's console says about them: ready for customers, or open but busy elsewhere. */
export type PresenceStatus = 'available' | 'away';

/** An agent as "who is online" lists them. */
export interface AgentPresence {
  readonly name: string;
  readonly status: PresenceStatus;
  readonly lastSeenAt: string;
}

/** Where heartbeats are kept: one record per agent, shared by every instance (src/storage/presenceStore.ts). */
export interface PresenceRecords {
  put(agent: string, record: object): Promise<void>;
  list(): Promise<unknown[]>;
}

export interface PresenceOptions {
  readonly records: PresenceRecords;
  /** An agent whose console sent nothing for this long has closed it (or lost the network). */
  readonly offlineAfterMs: number;
  readonly now: () => Date;
}

/**
 * Which agents have their console open. The console sends a heartbeat every ~20 s while it is
 * open; an agent is online until offlineAfterMs after their last one, so a closed laptop stops
 * counting within a minute without anybody signing out. Closing the console signs out at once.
 */
export class PresenceBoard {
  constructor(private readonly options: PresenceOptions) {}

  /** A heartbeat; 'offline' is the console saying goodbye, so the bot stops promising this agent at once. */
  async beat(agent: string, status: PresenceStatus | 'offline'): Promise<void> {
    // Signing out backdates the heartbeat past the window rather than deleting: one write, same shape.
    const seen = status === 'offline' ? new Date(this.options.now().getTime() - this.options.offlineAfterMs - 1) : this.options.now();
    await this.options.records.put(agent, { name: agent, status: status === 'offline' ? 'away' : status, lastSeenAt: seen.toISOString() });
  }

  /** Agents heard from within the window, by name. */
  async online(): Promise<AgentPresence[]> {
    const cutoff = this.options.now().getTime() - this.options.offlineAfterMs;
    return (await this.options.records.list())
      .filter(isPresence)
      .filter((agent) => Date.parse(agent.lastSeenAt) > cutoff)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Whether a customer asking for a person now can be promised one. */
  async anyoneAvailable(): Promise<boolean> {
    return (await this.online()).some((agent) => agent.status === 'available');
  }
}

/** Records are read back from a store other versions may have written: anything else is not an agent. */
function isPresence(record: unknown): record is AgentPresence {
  const value = record as Partial<AgentPresence> | null;
  return typeof value?.name === 'string' && (value.status === 'available' || value.status === 'away') && typeof value.lastSeenAt === 'string' && !Number.isNaN(Date.parse(value.lastSeenAt));
}
