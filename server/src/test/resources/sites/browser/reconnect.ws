// What this server received, in order: the test reads it through received().
var log = [];

function init() { return 'reconnect'; }

function note(p) {
  log.push(p);
  return log.length;
}

// Answers after a second, so a test can stop the server while the call is on the wire.
function slow(p) {
  log.push('slow ' + p);
  return new Promise(function (resolve) { setTimeout(function () { resolve(p); }, 1000); });
}

function received() { return log; }
