// parseFrame(text): JSON.parse for the frames clients send, about three times as fast on GraalJS.
// Evaluated by Sandbox.java before runtime.js, in one context on the loop thread.
//
// GraalJS's JSON.parse reads a string a character at a time through calls the compiler cannot
// fold away: it was 38% of the loop's time in the RPC benchmark (bench/RESULTS.md, section 14).
// Written in JavaScript, the same work is compiled with the call site that uses it.
//
// It gives exactly what JSON.parse gives, or hands the text to JSON.parse: for anything that is
// not valid JSON (so the client gets JSON.parse's own error message), and for an object key
// that Object.prototype has (`__proto__`, or one a controller defined a setter for), because an
// assignment would reach the prototype where JSON.parse defines an own property. Depth is
// bounded before the text gets here (Inbox.java refuses frames deeper than maxJsonDepth), so the
// recursion is too. runtime-js's JsonFrameTest compares the two on random valid and broken texts.
//
// (JSON.stringify stays GraalJS's own: one written here the same way, concatenating strings,
// took 1.3 times as long for an RPC reply, and one joining an array of parts 1.7 times.)
(function (host, lib) {
  'use strict';

  const OBJECT = Object.prototype;
  const ARRAY = Array.prototype;
  const NOT_HANDLED = Symbol('not handled');
  const ESCAPED = Object.assign(Object.create(null),
    { 34: '"', 92: '\\', 47: '/', 98: '\b', 102: '\f', 110: '\n', 114: '\r', 116: '\t' });

  // Each parse function takes the text and where its value starts, returns the value (or
  // NOT_HANDLED), and leaves in `end` where the value ended: positions live in the functions'
  // locals, which the compiler keeps in registers, and `end` is written once per value. (Kept in
  // one variable all functions share, the position was written to the heap at every character.)
  let end = 0;
  // The elements of the arrays being parsed, innermost last. It has no prototype, so a write to
  // it never reaches a setter, and collect() makes the array from it without an assignment.
  const elements = Object.setPrototypeOf([], null);
  let top = 0;
  const slice = ARRAY.slice;

  function parseFrame(text) {
    top = 0;
    let value;
    try {
      value = parseValue(text, 0);
      if (value !== NOT_HANDLED && skipSpace(text, end) !== text.length) value = NOT_HANDLED;
    } finally {
      if (elements.length !== 0) elements.length = 0;   // the frame's values are not kept alive by the parser
    }
    return value === NOT_HANDLED ? JSON.parse(text) : value;
  }

  function skipSpace(t, i) {
    const n = t.length;
    let c;
    while (i < n && ((c = t.charCodeAt(i)) === 32 || c === 10 || c === 13 || c === 9)) i++;
    return i;
  }

  function parseValue(t, i) {
    i = skipSpace(t, i);
    const c = t.charCodeAt(i);
    if (c === 34) return parseString(t, i);
    if (c === 123) return parseObject(t, i);
    if (c === 91) return parseArray(t, i);
    if (c === 116) return word(t, i, 'true', true);
    if (c === 102) return word(t, i, 'false', false);
    if (c === 110) return word(t, i, 'null', null);
    return parseNumber(t, i);
  }

  function word(t, i, text, value) {
    if (!t.startsWith(text, i)) return NOT_HANDLED;
    end = i + text.length;
    return value;
  }

  function parseObject(t, i) {
    const object = {};
    i = skipSpace(t, i + 1);
    if (t.charCodeAt(i) === 125) {
      end = i + 1;
      return object;
    }
    for (;;) {
      if (t.charCodeAt(i) !== 34) return NOT_HANDLED;
      const key = parseString(t, i);
      if (key === NOT_HANDLED || key in OBJECT) return NOT_HANDLED;
      i = skipSpace(t, end);
      if (t.charCodeAt(i) !== 58) return NOT_HANDLED;
      const value = parseValue(t, i + 1);
      if (value === NOT_HANDLED) return NOT_HANDLED;
      object[key] = value;
      i = skipSpace(t, end);
      const c = t.charCodeAt(i);
      if (c === 125) {
        end = i + 1;
        return object;
      }
      if (c !== 44) return NOT_HANDLED;
      i = skipSpace(t, i + 1);
    }
  }

  function parseArray(t, i) {
    i = skipSpace(t, i + 1);
    if (t.charCodeAt(i) === 93) {
      end = i + 1;
      return [];
    }
    const base = top;
    for (;;) {
      const value = parseValue(t, i);
      if (value === NOT_HANDLED) return NOT_HANDLED;
      elements[top++] = value;
      i = skipSpace(t, end);
      const c = t.charCodeAt(i);
      if (c === 93) {
        end = i + 1;
        return collect(base);
      }
      if (c !== 44) return NOT_HANDLED;
      i++;
    }
  }

  // The elements from `base` on as a new array: an array literal and Array.prototype.slice both
  // define the elements as own properties, as JSON.parse does, where an assignment would reach a
  // setter Array.prototype or Object.prototype has for that index.
  function collect(base) {
    const e = elements;
    const n = top - base;
    top = base;
    if (n === 1) return [e[base]];
    if (n === 2) return [e[base], e[base + 1]];
    if (n === 3) return [e[base], e[base + 1], e[base + 2]];
    return slice.call(e, base, base + n);
  }

  // At the opening quote. A string without escapes is one slice of the text.
  function parseString(t, i) {
    const start = i + 1;
    const n = t.length;
    for (let k = start; k < n; k++) {
      const c = t.charCodeAt(k);
      if (c === 34) {
        end = k + 1;
        return t.slice(start, k);
      }
      if (c === 92) return parseEscaped(t, start, k);
      if (c < 32) return NOT_HANDLED;
    }
    return NOT_HANDLED;
  }

  // At the first backslash `i` of a string that began at `start`.
  function parseEscaped(t, start, i) {
    const n = t.length;
    let out = t.slice(start, i);
    let run = i;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c === 34) {
        end = i + 1;
        return out + t.slice(run, i);
      }
      if (c < 32) return NOT_HANDLED;
      if (c !== 92) {
        i++;
        continue;
      }
      out += t.slice(run, i);
      const e = t.charCodeAt(i + 1);
      if (e === 117) {
        const code = hex4(t, i + 2);
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

  function hex4(t, at) {
    if (at + 4 > t.length) return -1;
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
  function parseNumber(t, i) {
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
      i = digits(t, i + 1);
      if (i < 0) return NOT_HANDLED;
      c = t.charCodeAt(i);
      exact = false;
    }
    if (c === 101 || c === 69) {
      c = t.charCodeAt(++i);
      if (c === 43 || c === 45) i++;
      i = digits(t, i);
      if (i < 0) return NOT_HANDLED;
      exact = false;
    }
    end = i;
    if (!exact) return +t.slice(start, i);
    return negative ? -value : value;
  }

  // Past one or more digits (of a fraction or an exponent) from `i`; -1 when there are none.
  function digits(t, i) {
    const n = t.length;
    const first = i;
    let c;
    while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) i++;
    return i > first ? i : -1;
  }

  return { parseFrame };

})
