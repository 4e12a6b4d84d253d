import { MemoryStorage } from 'botbuilder';
import type { KeyValueStorage } from '../storage/conversationStore.js';

/** botbuilder's MemoryStorage: eTag-checked, per process, lost on restart. */
export const createMemoryStorage = (): KeyValueStorage => new MemoryStorage();
