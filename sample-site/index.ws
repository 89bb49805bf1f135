// Controller for the landing page: keeps its visitors' room list live. The list is the chat
// rooms' group membership, which the server keeps (on every node of a cluster), so it is the
// same wherever the visitors and the chatters are.
var groups = require('workjs').groups;
var visitors = new Set();   // the `this` of every open landing page on this node
var pending = null;

// Many joins and leaves in a row make one update. Each node tells its own visitors.
groups.onChange('chat.ws', function () {
  if (pending) return;
  pending = setTimeout(function () {
    pending = null;
    var rooms = list();
    visitors.forEach(function (v) { v.sendJSON(['rooms', rooms]); });
  }, 100);
});

function init() {
  visitors.add(this);
  return 'landing';
}

// Busiest rooms first, at most 20.
function list() {
  var sizes = groups.sizes('chat.ws');
  return Object.keys(sizes)
    .map(function (name) { return {name: name, members: sizes[name]}; })
    .sort(function (a, b) { return b.members - a.members || (a.name < b.name ? -1 : 1); })
    .slice(0, 20);
}

function exit() {
  visitors.delete(this);
}
