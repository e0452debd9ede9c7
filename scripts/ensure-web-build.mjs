#!/usr/bin/env node
// Builds the web app (web/dist) when it is missing or older than its sources, so that
// `npm install && npm start` needs no separate build step (npm runs this as `prestart`).
// `node scripts/ensure-web-build.mjs --force` always builds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const stamp = join(web, 'dist', 'index.html');

/** newest modification time under the given paths (files or folders) */
function newest(paths) {
  let max = 0;
  const walk = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const name of readdirSync(p)) walk(join(p, name));
    else if (!/\.test\.tsx?$/.test(p)) max = Math.max(max, st.mtimeMs);
  };
  paths.forEach(walk);
  return max;
}

export function webBuildIsStale() {
  if (!existsSync(stamp)) return true;
  // src/shared: pure modules the web app imports from the server's tree
  const sources = newest([join(web, 'src'), join(root, 'src', 'shared'), join(web, 'public'), join(web, 'index.html'), join(web, 'vite.config.ts'), join(root, 'package-lock.json')]);
  return sources > statSync(stamp).mtimeMs;
}

export function buildWeb() {
  // vite's package exports hide bin/, so find the package folder and take its bin entry
  const pkgJson = createRequire(import.meta.url).resolve('vite/package.json', { paths: [root] });
  const vite = join(dirname(pkgJson), JSON.parse(readFileSync(pkgJson, 'utf8')).bin.vite);
  // NODE_ENV=production whatever the caller has: vitest sets NODE_ENV=test (its global setup builds
  // through here), and vite then defines process.env.NODE_ENV as "test", so React and the other
  // libraries take their development builds (StrictMode mounts every screen twice, each query is
  // fetched, aborted and fetched again; slower renders)
  const env = { ...process.env, NODE_ENV: 'production' };
  const res = spawnSync(process.execPath, [vite, 'build', '--config', join(web, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env });
  if (res.status !== 0) throw new Error(`web app build failed (exit ${res.status})`);
}

/** Builds when needed; returns whether it built. */
export function ensureWebBuild({ force = false, quiet = false } = {}) {
  if (!force && !webBuildIsStale()) return false;
  if (!quiet) process.stdout.write('Building the web app (web/dist)…\n');
  const started = Date.now();
  buildWeb();
  if (!quiet) process.stdout.write(`Web app built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensureWebBuild({ force: process.argv.includes('--force') });
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
