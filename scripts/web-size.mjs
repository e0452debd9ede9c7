#!/usr/bin/env node
// Prints the size of the built web app: the JavaScript a first visit to the board (the start page)
// loads — the entry script, the chunks index.html preloads and the board's files its early script
// preloads — gzipped, and the lazily loaded rest.
//   node scripts/web-size.mjs            a table
//   node scripts/web-size.mjs --json     {"initialJsGzip": …, …} (bytes), for the web benchmark
//   node scripts/web-size.mjs --max 400  exits 1 when the initial JS is over 400 KB gzipped
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');
let html;
try {
  html = readFileSync(join(dist, 'index.html'), 'utf8');
} catch {
  console.error('web/dist/index.html not found: run `npm run build:web` first');
  process.exit(2);
}

const attr = (tag, name) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1];
const initial = new Set();
for (const tag of html.match(/<script\b[^>]*>/g) ?? []) if (/type="module"/.test(tag) && attr(tag, 'src')) initial.add(attr(tag, 'src'));
for (const tag of html.match(/<link\b[^>]*>/g) ?? []) if (/rel="modulepreload"/.test(tag) && attr(tag, 'href')) initial.add(attr(tag, 'href'));
// opened on the board (the start page), the early script of index.html preloads the board's files too
const boardFiles = JSON.parse(/var files = (\[[^\]]*\]);/.exec(html)?.[1] ?? '[]');
for (const url of boardFiles) if (url.endsWith('.js')) initial.add(url);
const css = (html.match(/<link\b[^>]*rel="stylesheet"[^>]*>/g) ?? []).map((tag) => attr(tag, 'href')).filter(Boolean);

const size = (url) => {
  const buf = readFileSync(join(dist, url.replace(/^\//, '')));
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
};
const rows = [...initial].map((url) => ({ url, ...size(url) }));
const initialJsGzip = rows.reduce((s, r) => s + r.gzip, 0);
const initialJsRaw = rows.reduce((s, r) => s + r.raw, 0);
const cssGzip = css.reduce((s, url) => s + size(url).gzip, 0);
const lazy = readdirSync(join(dist, 'assets'))
  .filter((f) => f.endsWith('.js') && !initial.has(`/assets/${f}`))
  .map((f) => ({ url: `/assets/${f}`, ...size(`/assets/${f}`) }));
const lazyJsGzip = lazy.reduce((s, r) => s + r.gzip, 0);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const maxArg = process.argv.indexOf('--max');
const maxKb = maxArg > 0 ? Number(process.argv[maxArg + 1]) : null;

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ initialJsGzip, initialJsRaw, initialJsFiles: rows.length, cssGzip, lazyJsGzip, lazyJsFiles: lazy.length }));
} else {
  console.log('initial JavaScript (loaded on the first visit):');
  for (const r of rows.sort((a, b) => b.gzip - a.gzip)) console.log(`  ${r.url.padEnd(44)} ${kb(r.raw).padStart(10)} raw ${kb(r.gzip).padStart(10)} gzip`);
  console.log(`  ${'total'.padEnd(44)} ${kb(initialJsRaw).padStart(10)} raw ${kb(initialJsGzip).padStart(10)} gzip`);
  console.log(`CSS (initial): ${kb(cssGzip)} gzip`);
  console.log(`lazily loaded JavaScript: ${lazy.length} chunks, ${kb(lazyJsGzip)} gzip`);
}
if (maxKb !== null && initialJsGzip > maxKb * 1024) {
  console.error(`initial JavaScript ${kb(initialJsGzip)} gzipped is over the budget of ${maxKb} KB`);
  process.exit(1);
}
