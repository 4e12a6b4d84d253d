import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // Bounds, not speed targets: some hooks start two bot processes (each up to 60 s on a loaded machine).
    hookTimeout: 150_000,
    pool: 'forks',
    // restify loads spdy, whose http-deceiver reads process.binding('http_parser') (DEP0111) once per
    // worker; npm start disables the same single warning. Every other warning still prints.
    execArgv: ['--disable-warning=DEP0111'],
  },
});
