// Controller for the landing page: keeps its visitors' room list live.
var rooms = require('./lib/rooms.js');
var visitors = new Set();   // the `this` of every open landing page

// One emit reaches every landing page (they all share the group "landing").
rooms.onChange(function () {
  var any = visitors.values().next().value;
  if (any) any.emit('rooms', rooms.list());
});

function init() {
  visitors.add(this);
  return 'landing';
}

function list() {
  return rooms.list();
}

function exit() {
  visitors.delete(this);
}
