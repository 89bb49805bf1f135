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

  function makeConsole(file) {
    const at = (level) => function () { host.log(file, level, format(arguments)); };
    return { log: at('info'), info: at('info'), debug: at('debug'), warn: at('warn'), error: at('error') };
  }

  // Host class lookup is off, so these could do nothing; removing them makes that plain to see.
  for (const name of ['Java', 'Packages', 'java', 'javax', 'javafx', 'com', 'org', 'edu', 'net', 'Polyglot', 'arguments']) delete globalThis[name];

  globalThis.console = makeConsole('runtime');
  globalThis.setTimeout = (fn, ms, ...args) => host.setTimer(timerCallback(fn, args), delay(ms), false);
  globalThis.setInterval = (fn, ms, ...args) => host.setTimer(timerCallback(fn, args), delay(ms), true);
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

  return { format, makeConsole, deferred, makeError };
})
