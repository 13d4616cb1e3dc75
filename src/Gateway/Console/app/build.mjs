// Builds the console into ../wwwroot: one minified script, one stylesheet and the page. The gateway serves those files;
// they are committed, so that `dotnet run --project src/Silo` needs no npm. Run: npm ci && npm run build
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';

const out = new URL('../wwwroot/', import.meta.url);
await mkdir(out, { recursive: true });
await build({
  entryPoints: [new URL('src/main.js', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  outfile: new URL('console.js', out).pathname,
  legalComments: 'linked',
  logLevel: 'warning',
});
const uplot = await readFile(new URL('node_modules/uplot/dist/uPlot.min.css', import.meta.url), 'utf8');
const own = await readFile(new URL('src/console.css', import.meta.url), 'utf8');
await writeFile(new URL('console.css', out), `${uplot}\n${own}`);
await copyFile(new URL('src/index.html', import.meta.url), new URL('index.html', out));
console.log('console built into', out.pathname);
