function init() { return 'x'; }
function echo(p) { return p; }
function exit() { while (true) { } }
