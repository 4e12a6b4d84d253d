import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildTeamsManifest, zipTeamsPackage, type TeamsCommand } from './teamsApp.js';
import { loadConfig } from '../../config.js';
import { loadContent } from '../../content/load.js';
import type { Content } from '../../content/types.js';
import { AppError } from '../../errors.js';

/**
 * `npm run teams:package [-- --out file.zip]`: writes the Teams app package (manifest.json,
 * color.png, outline.png) for the bot registered as MicrosoftAppId. The commands are the main
 * topics of kb/bot.yaml's `menu`, so the list follows the content.
 */
const projectRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const DEFAULT_OUT = path.join(projectRoot, 'dist', 'teams', 'restore-support-bot.zip');

/** Each menu topic by its button title; picking one sends the title, which the bot matches exactly. */
const mainTopics = (content: Content): TeamsCommand[] =>
  content.phrases.menu.flatMap((id) => {
    const intent = content.intentById.get(id);
    return intent ? [{ title: intent.title, description: `For example: "${intent.examples[0] ?? intent.title}"` }] : [];
  });

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const config = loadConfig();
  const manifest = buildTeamsManifest(config, mainTopics(loadContent(config.CONTENT_DIR)));
  const icons = {
    color: readFileSync(path.join(projectRoot, 'teams', 'color.png')),
    outline: readFileSync(path.join(projectRoot, 'teams', 'outline.png')),
  };
  const out = path.resolve(values.out ?? DEFAULT_OUT);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, await zipTeamsPackage(manifest, icons));
  console.log(`Teams app package written: ${path.relative(process.cwd(), out) || out}`);
  console.log(`app id ${String(manifest.id)}, bot id ${config.MicrosoftAppId}, version ${config.TEAMS_APP_VERSION}`);
  console.log('Upload it in Teams: Apps → Manage your apps → Upload an app → Upload a custom app.');
}

main().catch((error: unknown) => {
  console.error(error instanceof AppError ? error.message : error);
  process.exitCode = 1;
});
