// parseFrame(text): JSON.parse for the frames clients send, about twice as fast on GraalJS.
// Evaluated by Sandbox.java before runtime.js, in one context on the loop thread.
//
// GraalJS's JSON.parse reads a string a character at a time through calls the compiler cannot
// fold away: it was 38% of the loop's time in the RPC benchmark (bench/RESULTS.md, section 14).
// Written in JavaScript, the same work is compiled with the call site that uses it.
//
// It gives exactly what JSON.parse gives, or hands the text to JSON.parse: for anything that is
// not valid JSON (so the client gets JSON.parse's own error message), and for an object key
// that Object.prototype has (`__proto__`, or one a controller defined a setter for) or an array
// index that Array.prototype has, because an assignment would reach the prototype where
// JSON.parse defines an own property. Depth is
// bounded before the text gets here (Inbox.java refuses frames deeper than maxJsonDepth), so the
// recursion is too. runtime-js's JsonFrameTest compares the two on random valid and broken texts.
(function (host, lib) {
  'use strict';

  const OBJECT = Object.prototype;
  const ARRAY = Array.prototype;
  const NOT_HANDLED = Symbol('not handled');
  const ESCAPED = Object.assign(Object.create(null),
    { 34: '"', 92: '\\', 47: '/', 98: '\b', 102: '\f', 110: '\n', 114: '\r', 116: '\t' });

  // The parse in progress: the loop is one thread, and a parse calls no user code.
  let t = '';
  let i = 0;
  let n = 0;

  function parseFrame(text) {
    t = text;
    i = 0;
    n = text.length;
    let value;
    try {
      value = parseValue();
      skipSpace();
      if (i !== n) value = NOT_HANDLED;
    } finally {
      t = '';   // the frame's text is not kept alive by the parser
    }
    return value === NOT_HANDLED ? JSON.parse(text) : value;
  }

  function skipSpace() {
    let c;
    while (i < n && ((c = t.charCodeAt(i)) === 32 || c === 10 || c === 13 || c === 9)) i++;
  }

  function parseValue() {
    skipSpace();
    const c = t.charCodeAt(i);
    if (c === 34) return parseString();
    if (c === 123) return parseObject();
    if (c === 91) return parseArray();
    if (c === 116) return word('true', true);
    if (c === 102) return word('false', false);
    if (c === 110) return word('null', null);
    return parseNumber();
  }

  function word(text, value) {
    if (!t.startsWith(text, i)) return NOT_HANDLED;
    i += text.length;
    return value;
  }

  function parseObject() {
    i++;
    const object = {};
    skipSpace();
    if (t.charCodeAt(i) === 125) {
      i++;
      return object;
    }
    for (;;) {
      skipSpace();
      if (t.charCodeAt(i) !== 34) return NOT_HANDLED;
      const key = parseString();
      if (key === NOT_HANDLED || key in OBJECT) return NOT_HANDLED;
      skipSpace();
      if (t.charCodeAt(i) !== 58) return NOT_HANDLED;
      i++;
      const value = parseValue();
      if (value === NOT_HANDLED) return NOT_HANDLED;
      object[key] = value;
      skipSpace();
      const c = t.charCodeAt(i++);
      if (c === 125) return object;
      if (c !== 44) return NOT_HANDLED;
    }
  }

  function parseArray() {
    i++;
    const array = [];
    let length = 0;
    skipSpace();
    if (t.charCodeAt(i) === 93) {
      i++;
      return array;
    }
    for (;;) {
      const value = parseValue();
      if (value === NOT_HANDLED || length in ARRAY) return NOT_HANDLED;
      array[length++] = value;
      skipSpace();
      const c = t.charCodeAt(i++);
      if (c === 93) return array;
      if (c !== 44) return NOT_HANDLED;
    }
  }

  // At the opening quote. A string without escapes is one slice of the text.
  function parseString() {
    const start = ++i;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c === 34) return t.slice(start, i++);
      if (c === 92) return parseEscaped(start);
      if (c < 32) return NOT_HANDLED;
      i++;
    }
    return NOT_HANDLED;
  }

  // At the first backslash of a string that began at `start`.
  function parseEscaped(start) {
    let out = t.slice(start, i);
    let run = i;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c === 34) {
        out += t.slice(run, i++);
        return out;
      }
      if (c < 32) return NOT_HANDLED;
      if (c !== 92) {
        i++;
        continue;
      }
      out += t.slice(run, i);
      const e = t.charCodeAt(i + 1);
      if (e === 117) {
        const code = hex4(i + 2);
        if (code < 0) return NOT_HANDLED;
        out += String.fromCharCode(code);
        i += 6;
      } else {
        const s = ESCAPED[e];
        if (s === undefined) return NOT_HANDLED;
        out += s;
        i += 2;
      }
      run = i;
    }
    return NOT_HANDLED;
  }

  function hex4(at) {
    if (at + 4 > n) return -1;
    let code = 0;
    for (let k = at; k < at + 4; k++) {
      const c = t.charCodeAt(k);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (d < 0) return -1;
      code = code * 16 + d;
    }
    return code;
  }

  // An integer of up to 15 digits is summed as it is read (exact below 2^53); any other valid
  // number is converted from its text, which rounds as JSON.parse does.
  function parseNumber() {
    const start = i;
    let c = t.charCodeAt(i);
    const negative = c === 45;
    if (negative) c = t.charCodeAt(++i);
    let value = 0;
    if (c === 48) {
      c = t.charCodeAt(++i);
    } else if (c >= 49 && c <= 57) {
      do {
        value = value * 10 + (c - 48);
        c = t.charCodeAt(++i);
      } while (c >= 48 && c <= 57);
    } else {
      return NOT_HANDLED;
    }
    let exact = i - start - (negative ? 1 : 0) <= 15;
    if (c === 46) {
      i++;
      if (!digits()) return NOT_HANDLED;
      c = t.charCodeAt(i);
      exact = false;
    }
    if (c === 101 || c === 69) {
      c = t.charCodeAt(++i);
      if (c === 43 || c === 45) i++;
      if (!digits()) return NOT_HANDLED;
      exact = false;
    }
    if (!exact) return +t.slice(start, i);
    return negative ? -value : value;
  }

  // One or more digits (of a fraction or an exponent); false when there are none.
  function digits() {
    const first = i;
    let c;
    while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) i++;
    return i > first;
  }

  return { parseFrame };
})
