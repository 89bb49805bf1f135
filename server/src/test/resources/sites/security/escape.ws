// Each function tries one way out of the sandbox and reports what it got: "blocked: ..." when
// the attempt threw or came back empty, "ESCAPED: ..." when it reached something it must not.
function attempt(fn) {
  try {
    const value = fn();
    if (value === undefined || value === null) return 'blocked: ' + value;
    return 'ESCAPED: ' + String(value);
  } catch (e) {
    return 'blocked: ' + (e && e.name) + ': ' + (e && e.message);
  }
}

// The same, for attempts that answer with a Promise (import()).
function attemptAsync(fn) {
  try {
    return fn().then((value) => 'ESCAPED: ' + String(value), (e) => 'blocked: ' + (e && e.name) + ': ' + (e && e.message));
  } catch (e) {
    return 'blocked: ' + (e && e.name) + ': ' + (e && e.message);
  }
}

// The names the global object holds beyond standard JavaScript and what runtime.js adds.
function globals() {
  const standard = new Set(('globalThis Infinity NaN undefined eval isFinite isNaN parseFloat parseInt decodeURI ' +
    'decodeURIComponent encodeURI encodeURIComponent escape unescape Object Function Array Number Boolean String ' +
    'Symbol Date Promise RegExp Error AggregateError EvalError RangeError ReferenceError SyntaxError TypeError URIError ' +
    'JSON Math Reflect Proxy Map Set WeakMap WeakSet WeakRef FinalizationRegistry ArrayBuffer SharedArrayBuffer DataView ' +
    'Atomics Int8Array Uint8Array Uint8ClampedArray Int16Array Uint16Array Int32Array Uint32Array Float16Array Float32Array ' +
    'Float64Array BigInt BigInt64Array BigUint64Array Intl Iterator ' +
    'console setTimeout setInterval clearTimeout clearInterval').split(' '));
  return Object.getOwnPropertyNames(globalThis).filter((n) => !standard.has(n)).sort().join(',');
}

function javaType() { return attempt(() => Java.type('java.lang.System')); }
function packages() { return attempt(() => Packages.java.lang.System); }
function javaLang() { return attempt(() => java.lang.System); }
function threadClass() { return attempt(() => Java.type('java.lang.Thread')); }
function worker() { return attempt(() => new Worker('data:,')); }
function processObject() { return attempt(() => process.exit); }
function polyglotEval() { return attempt(() => Polyglot.eval('js', '1 + 1')); }
function nativeAccess() { return attempt(() => Polyglot.eval('nfi', 'load "libc.so.6"')); }
function graalBuiltin() { return attempt(() => Graal.versionJS); }
function shellLoad() { return attempt(() => load('/etc/passwd')); }
function shellRead() { return attempt(() => read('/etc/passwd')); }
function shellReadFile() { return attempt(() => readFile('/etc/passwd')); }
function shellReadbuffer() { return attempt(() => readbuffer('/etc/passwd')); }
function requireUp() { return attempt(() => require('../../..')); }
function requireDeep() { return attempt(() => require('./lib/../../../../../../etc/passwd')); }
function requireThroughLinkedFolder() { return attempt(() => require('./lib/outside/secret.js')); }
function requireLinkToSystemFile() { return attempt(() => require('./lib/passwd.js')); }
function importFile() { return attemptAsync(() => import('/etc/passwd')); }
function importSiteFile() { return attemptAsync(() => import('./lib/counter.js')); }
function evalJava() { return attempt(() => eval('Java.type("java.lang.Runtime")')); }
function indirectEval() { return attempt(() => (0, eval)('this').Packages); }
function functionConstructor() { return attempt(() => Function('return Java.type("java.lang.Runtime")')()); }
function constructorOfWsMethod() { return attempt(() => this.ws.send.constructor('return this.Java || this.Polyglot || this.Packages')()); }
function shadowRealm() { return attempt(() => new ShadowRealm().evaluate('typeof Java + typeof Polyglot') === 'undefinedundefined' ? null : 'realm'); }

// Reflective tricks on what the runtime hands a controller.
function wsReflection() {
  const ws = this.ws;
  const proto = Object.getPrototypeOf(ws);
  const found = [];
  if (typeof ws.getClass === 'function') found.push('ws.getClass');
  if (!Object.isFrozen(ws)) found.push('ws is not frozen');
  if (Object.getOwnPropertyNames(ws).length) found.push('ws has own properties ' + Object.getOwnPropertyNames(ws));
  if (!Object.isFrozen(proto)) found.push('the prototype every connection shares is not frozen');
  if (Object.getPrototypeOf(proto) !== Object.prototype) found.push('ws prototype chain ' + Object.getPrototypeOf(proto));
  const send = proto.send;
  try { proto.send = () => 'hijacked'; } catch (e) { /* strict code: frozen */ }
  if (proto.send !== send) found.push('another connection\'s ws.send could be replaced');
  for (const o of [ws, proto]) {
    for (const name of Object.getOwnPropertyNames(o)) {
      const d = Object.getOwnPropertyDescriptor(o, name);
      for (const v of [d.value, d.get, d.set]) {
        if (typeof v === 'function' && v.constructor !== Function) found.push(name + ' is not a JS function');
      }
    }
  }
  return found.length ? 'ESCAPED: ' + found.join('; ') : 'blocked: ws is a frozen JS object whose shared methods are JS functions';
}

function getClassOnValuesPassedIn(param) {
  const values = [param, param.list, this.context, this.sess, this, this.log, this.group];
  const found = values.filter((v) => v && (typeof v.getClass === 'function' || typeof v.class !== 'undefined'));
  return found.length ? 'ESCAPED: ' + found.length + ' values have getClass' : 'blocked: no getClass';
}

// The runtime keeps host objects (the connection's peer, its group's fan-out) in a record that
// `this` must not lead to, not even through symbols; and those objects show no Java methods.
function hostObjectsBehindSymbols() {
  const found = [];
  let inspected = 0;
  for (const sym of Object.getOwnPropertySymbols(this)) {
    found.push('symbol ' + String(sym));
    const record = this[sym];
    const hosts = { peer: record && record.peer, fanout: record && record.group && record.group.fanout };
    for (const key of Object.keys(hosts)) {
      const host = hosts[key];
      if (!host) continue;
      inspected++;
      for (const m of ['getClass', 'hashCode', 'wait', 'notify', 'equals']) {
        try {
          if (host[m] !== undefined) found.push(key + '.' + m);
          host[m]();
          found.push(key + '.' + m + '() ran');
        } catch (e) {
          // refused: what we want
        }
      }
    }
  }
  return found.length ? 'ESCAPED: ' + found.join(', ') : 'blocked: only exported methods on ' + inspected + ' host objects';
}

// A sloppy function called by the strict runtime must not see its caller (and so the runtime's closures).
function callerChain() {
  function peek() { return peek.caller; }
  return attempt(() => peek() && peek().caller);
}

function stackTraceFrames() {
  const prepare = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (e, frames) => frames;
    const frames = new Error().stack;
    if (!Array.isArray(frames)) return 'blocked: no structured frames';
    const leaked = frames.filter((f) => f.getFunction && f.getFunction() && String(f.getFileName()).includes('runtime.js'));
    const thisLeak = frames.filter((f) => f.getThis && f.getThis() && String(f.getFileName()).includes('runtime.js'));
    return leaked.length + thisLeak.length ? 'ESCAPED: ' + (leaked.length + thisLeak.length) + ' runtime frames' : 'blocked: runtime frames are opaque';
  } finally {
    Error.prepareStackTrace = prepare;
  }
}

function init() {
  return 'escape';
}
