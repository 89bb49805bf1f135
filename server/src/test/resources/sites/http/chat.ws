// secret-ws-marker
function init() { return this.context.room; }
function echo(p) { return p; }
