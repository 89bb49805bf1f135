// The runtime's globals for controllers: console, timers, and nothing of Java or Polyglot.
// Evaluated by Sandbox.java before runtime.js, in one context on the loop thread; what it
// returns is merged into `lib`, which the files after it get.
(function (host, lib) {
  'use strict';

  function format(args) {
    return Array.prototype.map.call(args, (a) => {
      if (typeof a === 'string') return a;
      if (a instanceof Error) return a.stack || String(a);
      try { const s = JSON.stringify(a); return s === undefined ? String(a) : s; } catch (e) { return String(a); }
    }).join(' ');
  }

  // Each line says which file logged it, and where known its line (from an error in the
  // message, else the caller's frame) and the connection whose task was running
  // (lib.connectionId, from runtime.js): the JSON log format writes them as fields.
  function makeConsole(file) {
    const at = (level) => function () {
      const text = format(arguments);
      host.log(file, level, text, lineIn(text, file) || lineIn(new Error().stack, file), lib.connectionId ? lib.connectionId() : null);
    };
    return { log: at('info'), info: at('info'), debug: at('debug'), warn: at('warn'), error: at('error') };
  }
  function lineIn(text, file) {
    if (typeof text !== 'string') return 0;
    for (const marker of ['(' + file + ':', ' ' + file + ':']) {
      const i = text.indexOf(marker);
      if (i >= 0) {
        const n = parseInt(text.substring(i + marker.length), 10);
        if (n > 0) return n;
      }
    }
    return 0;
  }

  // Host class lookup is off, so these could do nothing; removing them makes that plain to see.
  for (const name of ['Java', 'Packages', 'java', 'javax', 'javafx', 'com', 'org', 'edu', 'net', 'Polyglot', 'arguments']) delete globalThis[name];

  // What a file's top-level code set up (timers, groups.onChange listeners), by file, so that
  // reloading the file (development mode) undoes it before the new version runs its own. What
  // calls set up later is nobody's: it runs out by itself.
  const owned = new Map();   // file -> {timers: Set of ids, undo: [functions]}
  let owner = null;          // the file whose top-level code runs now
  function runOwnedBy(file, fn) {
    const before = owner;
    owner = file;
    try { return fn(); } finally { owner = before; }
  }
  function own(undo) {
    if (owner === null) return;
    let o = owned.get(owner);
    if (!o) owned.set(owner, (o = { timers: new Set(), undo: [] }));
    if (typeof undo === 'number') o.timers.add(undo);
    else o.undo.push(undo);
  }
  function disown(file) {
    const o = owned.get(file);
    if (!o) return;
    owned.delete(file);
    for (const id of o.timers) host.clearTimer(id);
    for (const undo of o.undo) undo();
  }
  // A reload's new version ran as `staged`: it becomes `file`'s.
  function adopt(staged, file) {
    disown(file);
    const o = owned.get(staged);
    owned.delete(staged);
    if (o) owned.set(file, o);
  }

  globalThis.console = makeConsole('runtime');
  const timer = (fn, ms, args, repeat) => {
    const id = host.setTimer(timerCallback(fn, args), delay(ms), repeat);
    own(id);
    return id;
  };
  globalThis.setTimeout = (fn, ms, ...args) => timer(fn, ms, args, false);
  globalThis.setInterval = (fn, ms, ...args) => timer(fn, ms, args, true);
  globalThis.clearTimeout = globalThis.clearInterval = (id) => { if (typeof id === 'number') host.clearTimer(id); };
  function timerCallback(fn, args) {
    if (typeof fn !== 'function') throw new TypeError('timer callback must be a function');
    return args.length === 0 ? fn : () => fn(...args);
  }
  function delay(ms) {
    const n = Number(ms);
    return Number.isFinite(n) && n > 0 ? n : 0;
  }

  // Java settles Promises and throws Errors through these two (LoopPromises.java).
  function deferred() {
    let resolve, reject;
    const promise = new Promise((yes, no) => { resolve = yes; reject = no; });
    return { promise, resolve, reject };
  }
  function makeError(code, message) {
    const e = new Error(message);
    e.code = code;
    return e;
  }

  return { format, makeConsole, deferred, makeError, runOwnedBy, own, disown, adopt };
})
