// Chat page for /chat/:room. Talks to chat.ws through the injected worksocket client.
// All user text is rendered with textContent, never as HTML.
(function () {
  'use strict';
  var NICK_KEY = 'workjs-chat-nick';
  var MAX_ROWS = 500; // keep the DOM small in busy rooms

  function $(id) { return document.getElementById(id); }

  var room = decodeURIComponent(location.pathname.replace(/^.*\/chat\//, '').split('/')[0]);
  var nick = loadNick();
  var me = null;           // our connection id; the same after a resumed drop, a new one otherwise
  var members = new Map(); // id -> {id, nick, color}
  var seen = new Set();    // messages already shown, so history after a reconnect only adds what we missed
  var ws = null;
  var dropped = false;     // lost the connection since the last join: say "back online" once

  $('room').textContent = '#' + room;
  document.title = '#' + room + ' · WorkJS chat';

  function loadNick() {
    try { return localStorage.getItem(NICK_KEY) || ''; } catch (e) { return ''; }
  }
  function saveNick(n) {
    try { localStorage.setItem(NICK_KEY, n); } catch (e) { /* private mode: just don't remember */ }
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function setState(state, label) {
    $('state').className = 'state ' + state;
    $('state').textContent = label;
    document.body.classList.toggle('offline', state !== 'online');
  }

  // --- nickname dialog ---

  function askNick(error) {
    $('nick').value = nick;
    $('nickerr').textContent = error || '';
    $('nickcancel').hidden = !ws;
    $('nickdlg').hidden = false;
    $('nick').focus();
  }

  $('nickform').addEventListener('submit', function (e) {
    e.preventDefault();
    var n = $('nick').value.trim();
    if (!n || n.length > 24) {
      $('nickerr').textContent = 'Use 1 to 24 characters.';
      return;
    }
    nick = n;
    saveNick(n);
    $('me').textContent = nick;
    $('nickdlg').hidden = true;
    if (!ws) connect();
    else if (ws.readyState === 1) hello(); // otherwise the next onopen says hello with the new nick
    $('text').focus();
  });
  $('nickcancel').addEventListener('click', function () { $('nickdlg').hidden = true; });
  $('changenick').addEventListener('click', function () { askNick(); });

  // --- connection ---

  function connect() {
    if (typeof worksocket !== 'function') {
      setState('error', 'no WebSocket client (is the route flagged {"ws": "t"}?)');
      return;
    }
    setState('connecting', 'connecting…');
    ws = new worksocket({
      onopen: function (info) {
        // The same connection came back: we are still in the room, and what was said meanwhile
        // arrives by itself. Only a new connection has to join.
        if (info && info.resumed) backOnline();
        else hello();
      },
      onclose: function (ev) {
        // The member list stays visible (greyed out) until hello() refreshes it.
        if (ev.code === 1008) setState('denied', 'room not available');
        else setState('reconnecting', 'reconnecting…');
        dropped = true;
      },
      debug: /[?&]debug\b/.test(location.search)
    });
    ws.on('join', onJoin);
    ws.on('leave', onLeave);
    ws.on('members', setMembers);
    ws.on('away', function (m) { setAway(m.id, true); });
    ws.on('back', function (m) { setAway(m.id, false); });
    ws.on('message', addMessage);
    ws.on('_error', function (e) { notice('Server error: ' + (e && e.message)); });
  }

  // Runs on every (re)connect: the server sees a new connection each time.
  function hello() {
    setState('connecting', 'joining…');
    ws.rpc('hello', {nick: nick}, function (r, err) {
      if (err) {
        if (err.code === 'DISCONNECTED') return; // onclose shows it, the next onopen retries
        setState('error', 'not joined');
        askNick(err.message);
        return;
      }
      me = r.you;
      setMembers(r.members);
      r.history.forEach(addMessage);
      if (dropped) backOnline();
      else setState('online', 'online');
    });
  }

  function backOnline() {
    dropped = false;
    setState('online', 'back online');
    setTimeout(function () { if ($('state').textContent === 'back online') setState('online', 'online'); }, 3000);
  }

  // --- members ---

  function hasNick(n) {
    for (var m of members.values()) if (m.nick === n) return true;
    return false;
  }

  function setMembers(list) {
    members = new Map();
    (list || []).forEach(function (m) { members.set(m.id, m); });
    renderMembers();
  }

  // A reconnecting member briefly has two ids (the old one leaves late): only announce
  // arrivals and departures of a nick, not of a connection.
  function onJoin(m) {
    var old = members.get(m.id);
    if (old && old.nick !== m.nick) system(old.nick + ' is now ' + m.nick);
    else if (!old && !hasNick(m.nick)) system(m.nick + ' joined');
    members.set(m.id, m);
    renderMembers();
  }

  function onLeave(m) {
    if (!members.delete(m.id)) return;
    if (!hasNick(m.nick)) system(m.nick + ' left');
    renderMembers();
  }

  function setAway(id, away) {
    var m = members.get(id);
    if (!m) return;
    m.away = away;
    renderMembers();
  }

  function renderMembers() {
    var ul = $('members');
    var list = Array.from(members.values()).sort(function (a, b) {
      return a.nick.localeCompare(b.nick);
    });
    ul.replaceChildren.apply(ul, list.map(function (m) {
      var li = el('li', (m.id === me ? 'me' : '') + (m.away ? ' away' : ''));
      var dot = el('span', 'dot');
      dot.style.background = m.color;
      li.append(dot, el('span', 'nick', m.nick));
      if (m.id === me) li.append(el('span', 'muted', ' (you)'));
      else if (m.away) li.append(el('span', 'muted', ' (away)'));
      return li;
    }));
    $('count').textContent = String(list.length);
  }

  // --- messages ---

  function append(node) {
    var box = $('messages');
    // Follow new messages only if the reader is already at the bottom.
    var atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.appendChild(node);
    while (box.children.length > MAX_ROWS) box.firstElementChild.remove();
    if (atBottom) box.scrollTop = box.scrollHeight;
  }

  function addMessage(m) {
    var key = m.time + '|' + m.id + '|' + m.text;
    if (seen.has(key)) return;
    seen.add(key);
    var row = el('div', 'msg' + (m.nick === nick ? ' mine' : ''));
    var d = new Date(m.time);
    var time = el('time', 'time', d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'}));
    time.dateTime = d.toISOString();
    time.title = d.toLocaleString();
    var who = el('span', 'nick', m.nick);
    who.style.color = m.color;
    row.append(time, who, el('span', 'text', m.text));
    append(row);
  }

  function system(text) { append(el('div', 'system', text)); }
  function notice(text) { append(el('div', 'system error', text)); }

  $('say').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = $('text');
    var text = input.value.trim();
    if (!text || !ws) return;
    input.value = '';
    // While offline this is queued by worksocket and sent after the next hello.
    ws.rpc('say', {text: text}, function (ok, err) {
      if (!err) return;
      notice('Not sent: ' + err.message);
      if (!input.value) input.value = text; // give it back so it can be resent
    });
  });

  $('me').textContent = nick;
  if (nick) connect();
  else askNick();
})();
