// WorkJS's workshop chat, as its users wrote it: the room's last messages with rows(), a new
// one stored with only("insert ... returning ..."), :name binds from this.
function init() {
  return this.context.chat_id;
}

function history() {
  return this.db.rows(
    'select message_id, name, text, created from messages where chat_id = :chat_id order by message_id desc limit 10',
    { chat_id: this.group_id });
}

function say(p) {
  const message_id = this.db.only(
    'insert into messages (chat_id, name, text) values (:chat_id, :name, :text) returning message_id',
    { chat_id: this.group_id, name: p.name, text: p.text });
  this.emit('said', { message_id, name: p.name, text: p.text });
  return message_id;
}
