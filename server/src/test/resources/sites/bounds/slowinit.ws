function init() { while (true) { } }
function echo(p) { return p; }
