// CommonJS style: exports win over top-level functions.
const util = require('./lib/util.js');
const data = require('./lib/data.json');

function hidden() { return 'top-level functions are not callable when module.exports is used'; }

module.exports = {
  init() { return 'cjs-' + this.context.room; },
  double(n) { return util.double(n); },
  data() { return data; },
  requireOutside() { return require('../outside.js'); },
  requireAbsolute() { return require('/etc/passwd'); },
  requireBuiltin() { return require('fs'); },
  requireWs() { return require('./chat.ws'); },
  requireMissing() { return require('./lib/nope.js'); },
  javaType() { return typeof Java; },
  loadType() { return typeof load + ' ' + typeof print + ' ' + typeof Polyglot; },
};
