// Known traffic for the metrics, and calls that take their time for the drain.
function init() {
  if (this.context.room === 'no') return false;
  return this.context.room;
}

function ok(p) {
  return p;
}

function fail(code) {
  const e = new Error('failed on purpose');
  e.code = code;
  throw e;
}

function shout(text) {
  this.emit('shout', text);
}

// Answers after `ms` milliseconds, from a timer: a call in flight while a drain begins.
function later(ms) {
  return new Promise((resolve) => setTimeout(() => resolve('done'), ms));
}

// Never answers: a drain can only give up on it.
function never() {
  return new Promise(() => {});
}

// Holds the loop for `ms` milliseconds: the loop's lag and busy share show it.
function busy(ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* on purpose */ }
  return ms;
}

function logs(text) {
  console.warn('told to log: ' + text);
  return true;
}

function spin() {
  for (;;) { /* stopped by the watchdog */ }
}
