// Controller for /chat/:room. One group per room; every connection gets its own `this`.
// Only init, exit and the rpc functions are top-level functions: every top-level
// function can be called by clients, so helpers live inside them.

var HISTORY_MAX = 50;

// The history lives in the database (db/V1__create_messages.sql), so it survives a restart.
// this.db's plain calls run on the loop and return their result, as in WorkJS: right for the
// embedded database. On PostgreSQL under load, use this.db.async (the same calls, as Promises).

function init() {
  var room = this.context.room;
  // The room name becomes the group key and is shown to people: keep it boring.
  if (typeof room !== 'string' || !/^[a-z0-9-]{1,40}$/.test(room)) return false;
  return room;   // the group key: index.ws lists the rooms from their groups' sizes
}

function hello(p) {
  var nick = p && typeof p.nick === 'string' ? p.nick.trim() : '';
  if (nick.length < 1 || nick.length > 24) {
    throw new Error('nickname must be 1 to 24 characters');
  }
  // Same nick, same colour, on every reconnect and for every viewer.
  var hash = 0;
  for (var i = 0; i < nick.length; i++) hash = (hash * 31 + nick.charCodeAt(i)) | 0;
  var hue = Math.abs(hash) % 360;

  var renamed = this.nick && this.nick !== nick;
  if (!this.nick || renamed) console.log('chat #' + this.group_id + ': ' + nick + ' joined');
  this.nick = nick;
  this.color = 'hsl(' + hue + ', 60%, 40%)';
  this.emit('join', {id: this.id, nick: this.nick, color: this.color});

  var members = [];
  var group = this.group;
  Object.keys(group).forEach(function (id) {
    var m = group[id];
    if (m && m.nick) members.push({id: id, nick: m.nick, color: m.color, away: !!m.away});
  });
  var last = this.db.rows(
    // "room desc" changes nothing in the result, but lets the embedded database read the index
    // backwards instead of sorting the room (docs/DATABASE.md)
    'select sender, nick, color, text, created from messages where room = :room ' +
    'order by room desc, message_id desc limit :max',
    {room: this.group_id, max: HISTORY_MAX});
  return {
    you: this.id,
    members: members,
    history: last.reverse().map(function (m) {
      return {id: m.sender, nick: m.nick, color: m.color, text: m.text, time: m.created.getTime()};
    })
  };
}

function say(p) {
  if (!this.nick) throw new Error('call hello with a nickname first');
  var text = p && typeof p.text === 'string' ? p.text.trim() : '';
  if (!text) throw new Error('message is empty');
  if (text.length > 500) throw new Error('message is longer than 500 characters');

  var created = this.db.only(
    'insert into messages (room, sender, nick, color, text) values (:room, :sender, :nick, :color, :text) returning created',
    {room: this.group_id, sender: this.id, nick: this.nick, color: this.color, text: text});
  var msg = {id: this.id, nick: this.nick, color: this.color, text: text, time: created.getTime()};
  this.emit('message', msg);
  return true;
}

// A member whose network dropped: its connection waits (resumeWindowSeconds) for it to come
// back, still in the room. The others see it as away, and back, without a leave and a join.
function away() {
  this.away = true;
  if (this.nick) this.emit('away', {id: this.id});
}

function back() {
  this.away = false;
  if (this.nick) this.emit('back', {id: this.id});
}

// Runs after this member left the group, so the emit reaches only the others.
function exit() {
  if (!this.nick) return;
  console.log('chat #' + this.group_id + ': ' + this.nick + ' left');
  this.emit('leave', {id: this.id, nick: this.nick});
}
