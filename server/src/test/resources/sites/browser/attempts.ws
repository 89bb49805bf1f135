var counter = require('./lib/counter.js');

function init() { return 'attempts'; }
function count() { return counter.count(); }
