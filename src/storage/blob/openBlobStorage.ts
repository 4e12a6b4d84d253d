import { randomUUID } from 'node:crypto';
import { ContainerClient } from '@azure/storage-blob';
import { AppError } from '../../errors.js';
import { firstLine } from '../../text.js';
import type { StorageBackend } from '../backend.js';
import { BlobAgentStore } from './blobAgentStore.js';
import { BlobCaseStore } from './blobCaseStore.js';
import { BlobDirectLineStore } from './blobDirectLineStore.js';
import { BlobPresenceStore } from './blobPresenceStore.js';
import { BlobEventLog } from './blobEventLog.js';
import { BlobStorage } from './blobStorage.js';
import { BlobTranscriptStore } from './blobTranscriptStore.js';
import { BlobUploadStore } from './blobUploadStore.js';

export interface BlobStorageOptions {
  readonly connectionString: string;
  readonly stateContainer: string;
  readonly transcriptContainer: string;
}

/**
 * Azure Blob Storage, for several instances on several machines sharing one store. Both containers
 * are created (or found) here, so a wrong connection string stops start-up instead of the first turn.
 */
export async function openBlobStorage(options: BlobStorageOptions): Promise<StorageBackend> {
  const { connectionString, stateContainer, transcriptContainer } = options;
  const stateClient = new ContainerClient(connectionString, stateContainer);
  const transcriptClient = new ContainerClient(connectionString, transcriptContainer);
  try {
    await Promise.all([stateClient.createIfNotExists(), transcriptClient.createIfNotExists()]);
  } catch (error) {
    throw new AppError('ERR_STORAGE_OPEN', `cannot open Azure Blob Storage containers ${stateContainer} and ${transcriptContainer}: ${firstLine(error)}`, { cause: error });
  }
  return {
    state: new BlobStorage(stateClient),
    transcripts: new BlobTranscriptStore(transcriptClient),
    cases: new BlobCaseStore(stateClient),
    directLine: new BlobDirectLineStore(stateClient),
    agents: new BlobAgentStore(stateClient),
    presence: new BlobPresenceStore(stateClient),
    uploads: new BlobUploadStore(stateClient),
    events: new BlobEventLog(stateClient, randomUUID()),
    close: async () => undefined,
  };
}
