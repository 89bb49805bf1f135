// Uses every member of worksocket as documented in docs/CLIENT.md; tsc must accept it all,
// and must reject each line after a @ts-expect-error (misuse).
import WS, { worksocket as NamedWS } from '../../main/resources/io/workjs/client/ws.mjs';

const states: WorksocketState[] = [];
const ws: worksocket = new worksocket({
  onopen(info: WorksocketOpenInfo) { if (!info.resumed) void ws.rpc('hello', {nick: 'ann', why: info.reason}); },
  onclose(ev: CloseEvent) { console.log(ev.code, ev.reason, ev.wasClean); },
  onerror(err: WorksocketError) {
    if (err.code === 'DENIED' && err.final) console.log('given up:', err.message);
  },
  onstatechange(state) { states.push(state); },
  url: 'wss://example.com/chat/lobby?x=1',
  minDelay: 500,
  maxDelay: 10000,
  timeout: 30000,
  queueSize: 1000,
  maxDenials: 3,
  resume: true,
  debug: false,
});

// Every option is optional, and the options object too.
new worksocket();
new worksocket({});
new worksocket({url: null, onopen: null, timeout: undefined});

// rpc: the Promise form, with and without a per-call timeout.
async function promises(): Promise<number> {
  const members = await ws.rpc<{id: string}[]>('members', null);
  const first: string | undefined = members[0]?.id;
  console.log(first);
  const n = await ws.rpc<number>('add', {a: 1, b: 2}, {timeout: 5000});
  await ws.rpc('ping');
  try {
    await ws.rpc('fail', null, {timeout: 0});
  } catch (e) {
    const err = e as WorksocketError;
    if (err.code === 'TIMEOUT' || err.code === 'DISCONNECTED' || err.code === 'ROOM_FULL') return -1;
  }
  return n;
}

// rpc: the callback form: cb(result) on success, cb(null, err) on failure.
ws.rpc<{you: string}>('hello', {nick: 'ann'}, (r, err) => {
  if (err || !r) {
    if (err) console.log(err.code, err.message);
    return;
  }
  const you: string = r.you;
  console.log(you);
});
ws.rpc('say', {text: 'hi'}, (ok) => { console.log(ok); }, {timeout: 1000});
const nothing: void = ws.rpc('say', 'hi', () => {});

// sendJSON, on, off, close, state, readyState.
const sent: boolean = ws.sendJSON(['say', {text: 'hi'}]);
ws.on('message', (m: {text: string}) => { console.log(m.text); })
  .on<number>('count', (n) => { const k: number = n; console.log(k); })
  .on('_error', (e) => { const c: string = e.code; console.log(c, e.message); })
  .off('count');
const state: 'connecting' | 'open' | 'closed' = ws.state;
const ready: number = ws.readyState;
ws.close();

// The ES module exports the same class, as default and by name.
const a: worksocket = new WS({onopen() {}});
const viaGlobal: worksocket = new globalThis.worksocket();
const withoutNew: worksocket = worksocket({debug: true});
const b: worksocket = new NamedWS();
const sameClass: typeof worksocket = WS;

console.log(states, promises, nothing, sent, state, ready, a, b, sameClass, viaGlobal, withoutNew);

// Misuse that must not type-check.
// @ts-expect-error an unknown option is a typo
new worksocket({onOpen() {}});
// @ts-expect-error minDelay is a number of ms
new worksocket({minDelay: '500'});
// @ts-expect-error onstatechange gets a state, not a number
new worksocket({onstatechange: (s: number) => s});
// @ts-expect-error the callback form returns nothing to await
ws.rpc('x', null, () => {}).then(() => {});
// @ts-expect-error the name of a call is a string
void ws.rpc(42, null);
// @ts-expect-error the per-call options only know timeout
void ws.rpc('x', null, {timeot: 5});
// @ts-expect-error state is read-only
ws.state = 'open';
// @ts-expect-error readyState is read-only
ws.readyState = 1;
// @ts-expect-error there is no "unknown" state
const bad: WorksocketState = 'reconnecting';
// @ts-expect-error off takes only the event name
ws.off('message', () => {});
// @ts-expect-error sendJSON says whether the frame was sent or queued
const s: string = ws.sendJSON(1);
// @ts-expect-error in the callback form the result may be null until the error is ruled out
ws.rpc<{you: string}>('hello', {}, (r) => { console.log(r.you); });
console.log(bad, s);
