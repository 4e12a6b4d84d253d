import { createHash } from 'node:crypto';
import yazl from 'yazl';
import { GUID, type Config } from '../../config.js';
import { ConfigError } from '../../errors.js';

/**
 * The Teams app package: manifest.json and two icons in a zip, uploaded in Teams (Apps → Manage
 * your apps → Upload a custom app). The manifest follows the v1.30 schema, vendored for the test
 * in test/fixtures/teams/MicrosoftTeams.schema.json.
 */
export const MANIFEST_VERSION = '1.30';
const MANIFEST_SCHEMA = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;

/** Matches the background of teams/color.png. */
const ACCENT_COLOR = '#0F6CBD';

/** A bot command shown in the Teams compose box; picking it sends the title as a message. */
export interface TeamsCommand {
  readonly title: string;
  readonly description: string;
}

/** The schema allows 12 commands per list; the menu holds at most 6 topics. */
const MAX_COMMANDS = 12;

/**
 * Builds manifest.json from the configuration and the main topics. Refuses, naming every missing
 * variable, rather than write a package Teams would reject.
 */
export function buildTeamsManifest(config: Config, commands: readonly TeamsCommand[]): Record<string, unknown> {
  const problems = [
    ...(GUID.test(config.MicrosoftAppId) ? [] : [`MicrosoftAppId=${JSON.stringify(config.MicrosoftAppId)}: the Azure Bot's Microsoft App ID (a GUID) is required`]),
    ...(['TEAMS_WEBSITE_URL', 'TEAMS_PRIVACY_URL', 'TEAMS_TERMS_URL'] as const)
      .filter((key) => !config[key])
      .map((key) => `${key}="": an https:// URL is required in the app package`),
  ];
  if (problems.length > 0) throw new ConfigError(`Cannot build the Teams app package:\n${problems.join('\n')}`);

  const topics = commands.slice(0, MAX_COMMANDS);
  const scopes = ['personal', 'team', 'groupChat'];
  return {
    $schema: MANIFEST_SCHEMA,
    manifestVersion: MANIFEST_VERSION,
    version: config.TEAMS_APP_VERSION,
    id: config.TEAMS_APP_ID ?? teamsAppIdFor(config.MicrosoftAppId),
    developer: {
      name: config.TEAMS_DEVELOPER_NAME,
      websiteUrl: config.TEAMS_WEBSITE_URL,
      privacyUrl: config.TEAMS_PRIVACY_URL,
      termsOfUseUrl: config.TEAMS_TERMS_URL,
    },
    name: { short: 'Restore Support', full: 'Backup & Restore support assistant' },
    description: {
      short: 'Help when restoring an iPhone or iPad from an iCloud or iTunes backup fails.',
      full: [
        "Answers questions and walks you through fixes when restoring an iPhone, iPad or iPod touch from an iCloud or iTunes backup doesn't go to plan.",
        topics.length > 0 ? `It knows about: ${topics.map((command) => command.title).join('; ')}.` : '',
        'Chat with it one to one, or @mention it in a group chat or a team channel. It can hand the conversation over to a person from the support team.',
      ]
        .filter(Boolean)
        .join(' '),
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: ACCENT_COLOR,
    bots: [
      {
        botId: config.MicrosoftAppId,
        scopes,
        // Lets people attach files (screenshots) in the personal chat; they arrive as file download info.
        supportsFiles: true,
        isNotificationOnly: false,
        ...(topics.length > 0 ? { commandLists: [{ scopes, commands: topics.map((command) => ({ title: command.title, description: command.description })) }] } : {}),
      },
    ],
  };
}

/** A fixed namespace for name-based (v5) ids: the same bot always gets the same Teams app id. */
const APP_ID_NAMESPACE = Buffer.from('5d0c7a4e9b3f4e21a6c8f0b2d41e7a93', 'hex');

/** RFC 4122 version 5 UUID of the bot id, so re-packaging updates the installed app instead of adding one. */
export function teamsAppIdFor(botId: string): string {
  const hash = createHash('sha1').update(APP_ID_NAMESPACE).update(botId.toLowerCase()).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface TeamsIcons {
  /** 192×192 full-colour PNG. */
  readonly color: Buffer;
  /** 32×32 PNG, white on transparent. */
  readonly outline: Buffer;
}

/** Fixed entry dates make the same inputs give the same bytes. */
const ENTRY_TIME = new Date('2024-01-01T00:00:00Z');

/** The zip Teams expects: the three files at its root, no folder. */
export function zipTeamsPackage(manifest: Record<string, unknown>, icons: TeamsIcons): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json', { mtime: ENTRY_TIME });
  zip.addBuffer(icons.color, 'color.png', { mtime: ENTRY_TIME });
  zip.addBuffer(icons.outline, 'outline.png', { mtime: ENTRY_TIME });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
