import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * Advisories reviewed by hand (README "Dependencies and npm audit": the registry's audit endpoint
 * answers 405 here). A new install or a loosened range that brings back a version inside a
 * reviewed vulnerable range fails this test, instead of waiting for an audit that cannot run.
 */
const REVIEWED = [
  { name: 'find-my-way', advisory: 'GHSA-rrr8-f88r-h8q6', vulnerable: '>=5.5.0 <8.2.2' },
  { name: 'ws', advisory: 'GHSA-3h5v-q93c-6h6q', vulnerable: '>=8.0.0 <8.17.1' },
  { name: 'axios', advisory: 'GHSA-jr5f-v2jv-69x6', vulnerable: '>=1.0.0 <1.8.2' },
  { name: 'jsonwebtoken', advisory: 'GHSA-8cf7-32gw-wr33', vulnerable: '<9.0.0' },
] as const;

const root = path.join(import.meta.dirname, '..');
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  overrides?: Record<string, Record<string, string>>;
};

/** Every copy of a package the lock file installs, wherever it is nested. */
const installed = (name: string): { where: string; version: string }[] =>
  Object.entries(lock.packages)
    .filter(([where, entry]) => (where === `node_modules/${name}` || where.endsWith(`/node_modules/${name}`)) && entry.version)
    .map(([where, entry]) => ({ where, version: entry.version ?? '' }));

describe('reviewed advisories', () => {
  it.each(REVIEWED)('installs no copy of $name inside $advisory ($vulnerable)', ({ name, vulnerable }) => {
    const copies = installed(name);
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(semver.satisfies(copy.version, vulnerable), `${copy.where}@${copy.version}`).toBe(false);
  });

  it.each(REVIEWED)('lets no declared range of $name reach back into $advisory', ({ name, vulnerable }) => {
    const declared = [manifest.dependencies[name], ...Object.values(manifest.overrides ?? {}).map((scope) => scope[name])].filter((range): range is string => !!range);
    for (const range of declared) expect(semver.intersects(range, vulnerable), `${name}@${range}`).toBe(false);
  });

  it("never mounts restify's full bodyParser, whose formidable 1.x (GHSA-8cp3-66vr-3r4c, no fixed 1.x) stays unreachable", () => {
    const server = readFileSync(path.join(root, 'src', 'server', 'app.ts'), 'utf8');
    expect(server).toMatch(/plugins\.jsonBodyParser\(/);
    expect(server).not.toMatch(/plugins\.bodyParser\(/);
  });
});
