// CommonJS modules and controller files: require() confined by Java (Host.resolveModule),
// one evaluation per file, the seed style's top-level functions collected from the wrapper.
// Evaluated by Sandbox.java before runtime.js, in one context on the loop thread; what it
// returns is merged into `lib`, which the files after it get.
(function (host, lib) {
  'use strict';

  const { makeConsole, runOwnedBy, disown } = lib;
  const modules = new Map();       // site-relative path -> module (require cache)
  const WRAPPER_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname', 'console'];
  const RESERVED = new Set(('break case catch class const continue debugger default delete do else enum ' +
    'export extends false finally for function if import in instanceof new null return super switch this ' +
    'throw true try typeof var void while with yield let static implements interface package private ' +
    'protected public await arguments eval undefined NaN Infinity').split(' ').concat(WRAPPER_PARAMS));

  // CommonJS loading. The wrapper keeps the first line of the file on the first line of the
  // source, so the line numbers in stack traces are the file's own.
  function compile(file, source, tail) {
    const wrapped = '(function (' + WRAPPER_PARAMS.join(', ') + ') {' + source + '\n' + (tail || '') + '\n})';
    return host.compile(file, wrapped, source);
  }

  // require('workjs'): what the server offers modules (this.db without a connection).
  let builtin = null;

  function makeRequire(fromFile) {
    return function require(spec) {
      if (typeof spec !== 'string') throw new TypeError('require() needs a string path');
      if (spec === 'workjs') return builtin || (builtin = Object.freeze({ db: lib.db, groups: lib.groups }));
      const file = host.resolveModule(fromFile, spec);   // throws an Error with a code
      const cached = modules.get(file);
      if (cached) return cached.exports;
      const module = { id: file, filename: file, exports: {}, loaded: false };
      modules.set(file, module);
      try {
        const source = host.readModule(file);
        if (file.endsWith('.json')) {
          module.exports = JSON.parse(source);
        } else {
          runOwnedBy(file, () => compile(file, source)(module.exports, makeRequire(file), module, file, dirname(file), makeConsole(file)));
        }
      } catch (e) {
        modules.delete(file);
        throw e;
      }
      module.loaded = true;
      return module.exports;
    };
  }

  function dirname(file) {
    const i = file.lastIndexOf('/');
    return i < 0 ? '.' : file.substring(0, i);
  }

  // Top-level declarations of a seed-style controller live in the wrapper's scope, so the
  // wrapper returns every candidate name that resolves there. Candidates come from a scan of
  // the source; a name declared only in an inner scope resolves to nothing (or to the global
  // of that name, which is filtered out) and so is harmless.
  function topLevelTail(source) {
    const names = new Set();
    const re = /\b(?:function\s*\*?\s*|(?:var|let|const|class)\s+)([A-Za-z_$][\w$]*)/g;
    let m;
    while ((m = re.exec(source)) !== null) if (!RESERVED.has(m[1])) names.add(m[1]);
    const entries = Array.from(names, (n) => JSON.stringify(n) + ': typeof ' + n + " === 'undefined' ? undefined : " + n);
    return 'return {' + entries.join(', ') + '};';
  }

  // Evaluates a controller file: its own exports if it assigns any, else its top-level
  // declarations (the seed's style), as `members`. What its top-level code sets up belongs to
  // `owner` (globals.js): the file itself, or a reload's staging name.
  function evaluateController(file, source, owner) {
    const module = { id: file, filename: file, exports: {}, loaded: false };
    const initialExports = module.exports;
    const declared = runOwnedBy(owner || file, () => compile(file, source, topLevelTail(source))(
      module.exports, makeRequire(file), module, file, dirname(file), makeConsole(file)));
    const usesExports = module.exports !== initialExports || Object.keys(module.exports).length > 0;
    return { members: usesExports ? module.exports : declared, usesExports };
  }

  // Development mode: when any of `files` (site-relative) is a loaded module, every module is
  // forgotten (and what their top-level code set up undone), so the next require evaluates
  // them afresh; true when that happened, and the controllers must be loaded again to see it.
  function forgetModules(files) {
    if (!files.some((f) => modules.has(f))) return false;
    for (const file of modules.keys()) disown(file);
    modules.clear();
    return true;
  }

  return { evaluateController, forgetModules };
})
