// Each call holds the JS loop for `ms` milliseconds, like a controller with real work to do.
function init() { return this.context.room; }

function work(p) {
  var until = Date.now() + p.ms;
  while (Date.now() < until) { /* the work */ }
  return true;
}

function echo(p) { return p; }
