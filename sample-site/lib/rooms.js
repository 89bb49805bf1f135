// Who is in which chat room. chat.ws updates it and index.ws shows it: modules are loaded
// once per site, so both controllers share this one copy.
var counts = new Map();      // room -> open connections
var listeners = new Set();   // called after every change

function changed() {
  listeners.forEach(function (fn) { fn(); });
}

exports.join = function (room) {
  counts.set(room, (counts.get(room) || 0) + 1);
  changed();
};

exports.leave = function (room) {
  var n = (counts.get(room) || 1) - 1;
  if (n > 0) counts.set(room, n);
  else counts.delete(room);
  changed();
};

// Busiest rooms first, at most 20.
exports.list = function () {
  return Array.from(counts, function (e) { return {name: e[0], members: e[1]}; })
    .sort(function (a, b) { return b.members - a.members || (a.name < b.name ? -1 : 1); })
    .slice(0, 20);
};

exports.onChange = function (fn) {
  listeners.add(fn);
};
