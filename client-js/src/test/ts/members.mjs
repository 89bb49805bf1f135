// Checks ws.d.ts against the real ws.js, which tsc cannot do for a classic script that builds
// its instance in a constructor function: the members of a worksocket instance (methods, and
// read-only properties defined with getters), the option names of DEFAULTS, and the client's
// own error codes must be exactly those ws.d.ts declares. Run by ./mvnw verify after tsc.
import { readFileSync } from 'node:fs';

const dir = new URL('../../main/resources/io/workjs/client/', import.meta.url);
const js = readFileSync(new URL('ws.js', dir), 'utf8');
const dts = readFileSync(new URL('ws.d.ts', dir), 'utf8');

// The text from `start` to the first `end` after it.
function block(text, start, end, what) {
  const at = text.indexOf(start);
  const to = text.indexOf(end, at + start.length);
  if (at < 0 || to < 0) throw new Error(`${what}: cannot find "${start}" ... "${end}"`);
  return text.slice(at + start.length, to);
}
const all = (text, re) => [...text.matchAll(re)].map((m) => m[1]);

// ws.js: `this.name = function` are methods, `Object.defineProperty(this, 'name'` getters.
const api = block(js, 'function worksocket(options) {', '\n  }\n', 'ws.js');
const jsMembers = [
  ...all(api, /^\s*this\.(\w+)\s*=\s*function/gm).map((n) => `${n}()`),
  ...all(api, /Object\.defineProperty\(this,\s*'(\w+)'/g).map((n) => `readonly ${n}`),
];
// ws.d.ts: in `interface worksocket`, `name(` or `name<` are methods, `readonly name:` properties.
const instance = block(dts, 'interface worksocket {', '\n}', 'ws.d.ts');
const dtsMembers = [
  ...all(instance, /^ {2}(\w+)\s*[<(]/gm).map((n) => `${n}()`),
  ...all(instance, /^ {2}readonly (\w+)\s*:/gm).map((n) => `readonly ${n}`),
];

const jsOptions = all(block(js, 'var DEFAULTS = {', '};', 'ws.js'), /(\w+):/g);
const dtsOptions = all(block(dts, 'interface WorksocketOptions {', '\n}', 'ws.d.ts'), /^ {2}(\w+)\?:/gm);

// Every quoted upper-case string in ws.js is an error code; ERROR and CALL_FAILED are only
// stand-ins for a server error frame that lacks its code, and POST is the session renewal's method.
const jsCodes = all(js, /'([A-Z][A-Z_]+)'/g).filter((c) => c !== 'ERROR' && c !== 'CALL_FAILED' && c !== 'POST');
const dtsCodes = all(block(dts, 'type WorksocketClientErrorCode =', ';', 'ws.d.ts'), /'([A-Z_]+)'/g);

let failed = false;
function same(what, fromJs, fromDts) {
  const a = new Set(fromJs), b = new Set(fromDts);
  const missing = [...a].filter((x) => !b.has(x)), extra = [...b].filter((x) => !a.has(x));
  if (missing.length) console.error(`${what}: in ws.js but not declared in ws.d.ts: ${missing.join(', ')}`);
  if (extra.length) console.error(`${what}: declared in ws.d.ts but not in ws.js: ${extra.join(', ')}`);
  if (!a.size) console.error(`${what}: found none in ws.js (has its layout changed?)`);
  if (missing.length || extra.length || !a.size) failed = true;
  else console.log(`${what}: ${[...a].sort().join(', ')}`);
}
same('instance members', jsMembers, dtsMembers);
same('options', jsOptions, dtsOptions);
same('client error codes', jsCodes, dtsCodes);
if (failed) {
  console.error('ws.d.ts does not match ws.js: update one of them (and docs/CLIENT.md).');
  process.exit(1);
}
