// The bench handler (bench/README.md): echo and group fan-out.
function init() {
  this.calls = 0;
  return this.context.g || 'all';
}

function echo(p) {
  this.calls++;
  return p;
}

function emit(p) {
  this.emit('ev', p);
}
