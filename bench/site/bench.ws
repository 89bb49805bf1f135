// The bench handler (bench/README.md): echo, group fan-out, and a database round trip.
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

// The db scenario (bench/README.md): store a message in the caller's room, then read the room's
// last 10 back; on the loop with the synchronous API, or on the database pool with the Promise API.
const SAY = 'insert into messages (room, name, text) values (:room, :name, :text) returning message_id';
const LAST = 'select message_id, name, text, created from messages where room = :room order by message_id desc limit 10';

function dbSay(p) {
  this.db.only(SAY, { room: this.group_id, name: p.name, text: p.text });
  return this.db.rows(LAST, { room: this.group_id });
}

async function dbSayLater(p) {
  await this.db.async.only(SAY, { room: this.group_id, name: p.name, text: p.text });
  return this.db.async.rows(LAST, { room: this.group_id });
}
