// Bundles src/main.tsx (Preact, TypeScript via esbuild's loader) and copies index.html and style.css into the output
// folder the .NET project embeds: `node build.mjs [OUTDIR]` (default ../obj/ui). Minified, no source maps in the
// binary; one hashed-free name per file because index.html is the only entry the host serves by name.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const out = resolve(process.argv[2] ?? '../obj/ui');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });
await build({
  entryPoints: ['src/main.tsx'],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outfile: join(out, 'assets', 'app.js'),
  logLevel: 'warning',
});
copyFileSync('index.html', join(out, 'index.html'));
copyFileSync('style.css', join(out, 'assets', 'style.css'));
console.log(`minuet-ui: built into ${out}`);
