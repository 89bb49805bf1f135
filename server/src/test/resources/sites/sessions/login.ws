// this.sess.regenerate() at login, as a browser sees it (SessionRenewBrowserIT).
function init() { return 'all'; }
function login(name) { this.sess.set('user', name); this.sess.regenerate(); return true; }
function whoami() { const user = this.sess.get('user'); return user === undefined ? null : user; }
