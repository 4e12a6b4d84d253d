import type { ContainerClient } from '@azure/storage-blob';
import type { AgentAccountRecord, AgentCredentialRecord, AgentStore } from '../agentStore.js';
import { statusOf } from './blobName.js';

/** Beside the state blobs, whose names botbuilder URL-encodes, so never contain these slashes. */
const ACCOUNTS = 'agent-accounts/';
const CREDENTIALS = 'agent-credentials/';

/**
 * Agent accounts and credentials as blobs in the state container. Each record also rides in its
 * blob's metadata (base64url JSON, far under the 8 kB limit), so a check is one HEAD and a listing
 * one list call. Creation is conditional (If-None-Match: *) and an update needs the version it read
 * (If-Match), so two instances cannot both add one name, and an update racing a removal cannot
 * bring the account back.
 */
export class BlobAgentStore implements AgentStore {
  constructor(private readonly container: ContainerClient) {}

  async create(key: string, account: AgentAccountRecord): Promise<boolean> {
    try {
      await this.write(accountName(key), account, { ifNoneMatch: '*' });
      return true;
    } catch (error) {
      // 409 BlobAlreadyExists (412 from some emulators).
      const status = statusOf(error);
      if (status === 409 || status === 412) return false;
      throw error;
    }
  }

  get(key: string): Promise<AgentAccountRecord | undefined> {
    return this.read<AgentAccountRecord>(accountName(key));
  }

  async update(key: string, account: AgentAccountRecord): Promise<boolean> {
    try {
      // The blob's own eTag, not If-Match: *, which Azurite lets create a blob that is gone.
      const { etag } = await this.container.getBlobClient(accountName(key)).getProperties();
      await this.write(accountName(key), account, { ifMatch: etag ?? '' });
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status === 404 || status === 412) return false;
      throw error;
    }
  }

  list(): Promise<AgentAccountRecord[]> {
    return this.listUnder<AgentAccountRecord>(ACCOUNTS);
  }

  async any(): Promise<boolean> {
    // One page of at most one name, without metadata: the same cost with one account or thousands.
    // Azure may answer a page with none and a continuation, so an empty page is not yet "none".
    for await (const page of this.container.listBlobsFlat({ prefix: ACCOUNTS }).byPage({ maxPageSize: 1 })) {
      if (page.segment.blobItems.length > 0) return true;
    }
    return false;
  }

  async remove(key: string): Promise<boolean> {
    try {
      await this.container.deleteBlob(accountName(key), { deleteSnapshots: 'include' });
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  async putCredential(credential: AgentCredentialRecord): Promise<void> {
    await this.write(credentialName(credential.digest), credential, {});
  }

  credential(digest: string): Promise<AgentCredentialRecord | undefined> {
    return this.read<AgentCredentialRecord>(credentialName(digest));
  }

  async credentialsOf(key: string): Promise<AgentCredentialRecord[]> {
    // A handful per agent (tokens and recent sessions), across a team: one list call stays small.
    return (await this.listUnder<AgentCredentialRecord>(CREDENTIALS)).filter((credential) => credential.agent === key);
  }

  async removeCredentials(digests: readonly string[]): Promise<void> {
    await Promise.all(
      digests.map((digest) =>
        this.container.deleteBlob(credentialName(digest), { deleteSnapshots: 'include' }).catch((error: unknown) => {
          if (statusOf(error) !== 404) throw error;
        }),
      ),
    );
  }

  private async write(name: string, record: object, conditions: { ifMatch?: string; ifNoneMatch?: string }): Promise<void> {
    const body = JSON.stringify(record);
    await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
      conditions,
      metadata: { record: Buffer.from(body).toString('base64url') },
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
  }

  private async read<T>(name: string): Promise<T | undefined> {
    try {
      const { metadata } = await this.container.getBlobClient(name).getProperties();
      return decode<T>(metadata);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  private async listUnder<T>(prefix: string): Promise<T[]> {
    const records: T[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix, includeMetadata: true })) {
      const record = decode<T>(blob.metadata);
      if (record !== undefined) records.push(record);
    }
    return records;
  }
}

const accountName = (key: string): string => `${ACCOUNTS}${encodeURIComponent(key)}`;
/** Digests are hex, so they need no encoding. */
const credentialName = (digest: string): string => `${CREDENTIALS}${digest}`;

/** Azure hands metadata names back in the case it likes; ours is one lower-case word. */
function decode<T>(metadata: Record<string, string> | undefined): T | undefined {
  const encoded = Object.entries(metadata ?? {}).find(([name]) => name.toLowerCase() === 'record')?.[1];
  return encoded === undefined ? undefined : (JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as T);
}
