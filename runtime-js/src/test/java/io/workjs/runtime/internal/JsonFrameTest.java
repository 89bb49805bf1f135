package io.workjs.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * json.js's parseFrame against GraalJS's JSON.parse, in one context: the same value (types,
 * -0, key order, own data properties, prototypes) or the same SyntaxError, for hand-picked
 * texts and for thousands of random valid texts and random corruptions of them.
 */
class JsonFrameTest {
    /** In JavaScript: compare(text) is "" when both agree, else what differs. */
    private static final String COMPARE = """
            (function (parseFrame) {
              function same(a, b, path) {
                if (typeof a !== typeof b) return path + ': ' + typeof a + ' vs ' + typeof b;
                if (a === null || typeof a !== 'object') return Object.is(a, b) ? '' : path + ': ' + String(a) + ' vs ' + String(b);
                if (Array.isArray(a) !== Array.isArray(b)) return path + ': array vs not';
                if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return path + ': prototype';
                const ka = Reflect.ownKeys(a), kb = Reflect.ownKeys(b);
                if (ka.join('\\u0000') !== kb.join('\\u0000')) return path + ': keys ' + JSON.stringify(ka) + ' vs ' + JSON.stringify(kb);
                for (const k of ka) {
                  const da = Object.getOwnPropertyDescriptor(a, k), db = Object.getOwnPropertyDescriptor(b, k);
                  if (!('value' in da) || !('value' in db)) return path + '.' + String(k) + ': not a data property';
                  if (da.writable !== db.writable || da.enumerable !== db.enumerable || da.configurable !== db.configurable) return path + '.' + String(k) + ': attributes';
                  const d = same(da.value, db.value, path + '.' + String(k));
                  if (d) return d;
                }
                return '';
              }
              function outcome(parse, text) {
                try { return { value: parse(text) }; } catch (e) { return { error: e.constructor.name + ': ' + e.message }; }
              }
              return function compare(text) {
                const mine = outcome(parseFrame, text), theirs = outcome(JSON.parse, text);
                if ('error' in theirs || 'error' in mine) return mine.error === theirs.error ? '' : 'errors: ' + mine.error + ' vs ' + theirs.error;
                return same(mine.value, theirs.value, '$');
              };
            })
            """;

    /** In JavaScript: fuzz(seed, count) compares `count` random texts, returns the first difference or "". */
    private static final String FUZZ = """
            (function (compare) {
              return function fuzz(seed, count) {
                let s = seed >>> 0;
                const random = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
                const pick = (xs) => xs[Math.floor(random() * xs.length)];
                const CHARS = ['a', 'b', 'Z', ' ', '"', '\\\\', '/', '\\n', '\\t', '\\u0001', '\\u001f', 'é', '€', '\\ud83d\\ude00', '\\ud800', '\\udfff', '\\u2028', '0', '{', '['];
                const KEYS = ['a', 'b', 'n', '', '0', '1', '10', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'length', 'é', 'a b'];
                const space = () => random() < 0.2 ? pick([' ', '\\n', '\\t', '\\r', '  ']) : '';
                function str(x) {
                  let out = '"';
                  for (const ch of x) {
                    const r = random();
                    if (r < 0.15) out += '\\\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
                    else if (ch === '/' && r < 0.5) out += '\\\\/';
                    else out += JSON.stringify(ch).slice(1, -1);
                  }
                  return out + '"';
                }
                function number() {
                  const forms = [
                    () => String(Math.floor(random() * 10)),
                    () => String(Math.floor(random() * 1e6)),
                    () => '-' + Math.floor(random() * 1e9),
                    () => '9007199254740993',
                    () => '123456789012345',
                    () => '-1234567890123456789',
                    () => '-0',
                    () => (random() * 1000).toFixed(Math.floor(random() * 8)),
                    () => Math.floor(random() * 99) + pick(['e', 'E']) + pick(['', '+', '-']) + Math.floor(random() * 400),
                    () => '0.' + Math.floor(random() * 1e9) + 'e-' + Math.floor(random() * 30),
                    () => '1e400',
                  ];
                  return pick(forms)();
                }
                function value(depth) {
                  const r = random();
                  if (depth < 4 && r < 0.2) {
                    const n = Math.floor(random() * 5);
                    const parts = [];
                    for (let k = 0; k < n; k++) parts.push(space() + str(pick(KEYS)) + space() + ':' + value(depth + 1));
                    return space() + '{' + parts.join(',') + space() + '}' + space();
                  }
                  if (depth < 4 && r < 0.35) {
                    const n = Math.floor(random() * 5);
                    const parts = [];
                    for (let k = 0; k < n; k++) parts.push(value(depth + 1));
                    return space() + '[' + parts.join(',') + space() + ']' + space();
                  }
                  if (r < 0.6) {
                    let x = '';
                    const n = Math.floor(random() * 12);
                    for (let k = 0; k < n; k++) x += pick(CHARS);
                    return space() + str(x) + space();
                  }
                  if (r < 0.85) return space() + number() + space();
                  return space() + pick(['true', 'false', 'null']) + space();
                }
                function corrupt(text) {
                  const at = Math.floor(random() * (text.length + 1));
                  const r = random();
                  if (r < 0.4) return text.slice(0, at) + text.slice(at + 1);
                  const ch = pick(['"', '\\\\', ',', ':', '{', '}', '[', ']', '-', '.', 'e', '0', '1', 'u', ' ', '\\u0000', 'x']);
                  if (r < 0.8) return text.slice(0, at) + ch + text.slice(at);
                  return text.slice(0, at) + ch + text.slice(at + 1);
                }
                for (let k = 0; k < count; k++) {
                  let text = random() < 0.5 ? '[' + str(pick(['echo', 'say', 'a'])) + ',' + value(0) + ',' + number() + ']' : value(0);
                  const corruptions = k % 3;
                  for (let c = 0; c < corruptions; c++) text = corrupt(text);
                  const d = compare(text);
                  if (d) return JSON.stringify(text) + ' -> ' + d;
                }
                return '';
              };
            })
            """;

    private Context context;
    private Value compare;

    @BeforeEach
    void loadJsonJs() throws IOException {
        context = Context.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
        Value lib = context.eval("js", "({})");
        Value exports = context.eval(bootstrap("json.js")).execute(Value.asValue(null), lib);
        compare = context.eval("js", COMPARE).execute(exports.getMember("parseFrame"));
    }

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void givesWhatJsonParseGivesForFramesAndValuesOfEveryKind() {
        String[] texts = {
            "[\"echo\",{\"user\":\"bench-user-0042\",\"room\":\"lobby\",\"n\":123456,\"text\":\"hello\",\"ok\":true},17]",
            "[\"say\",\"x\"]", "[\"say\",null,\"seq-1\"]", " [ \"a\" , [ 1 , 2.5 , -0 , 1e3 , -1E-2 ] , 3 ] ",
            "0", "-0", "1.0", "12345678901234567890", "9007199254740993", "1e400", "-1e-400", "0.1e1",
            "\"\"", "\"\\u00e9\\n\\t\\\"\\\\\\/\\b\\f\\r\"", "\"\\ud83d\\ude00 \\ud800 \\uDFFF\"", "\"é€😀\"",
            "{}", "[]", "{\"a\":1,\"a\":2,\"b\":3}", "{\"1\":1,\"b\":2,\"0\":0}", "{\"\":\"\"}",
            "{\"__proto__\":{\"x\":1}}", "{\"constructor\":1,\"toString\":\"s\"}", "[[[[[]]]]]",
        };
        for (String text : texts) assertEquals("", compare.execute(text).asString(), text);
    }

    @Test
    void failsWithJsonParsesOwnErrorOnTextThatIsNotJson() {
        String[] texts = {
            "", " ", "[", "]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[,1]", "01", "-", "1.", ".5", "1e",
            "1e+", "1e.5", "+1", "tru", "nul", "NaN", "Infinity", "\"a", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"",
            "\"tab\there\"", "[1 2]", "{\"a\" 1}", "{a:1}", "[\"a\",1]x", "'a'", "[\"echo\",{\"a\":1},17",
        };
        for (String text : texts) assertEquals("", compare.execute(text).asString(), text);
    }

    @Test
    void agreesWithJsonParseOnTwentyThousandRandomTextsValidAndBroken() {
        Value fuzz = context.eval("js", FUZZ).execute(compare);
        for (int seed = 1; seed <= 4; seed++) assertEquals("", fuzz.execute(seed, 5000).asString(), "seed " + seed);
    }

    @Test
    void definesOwnPropertiesWhereAnAssignmentWouldReachAPrototypeSetter() {
        context.eval("js", "globalThis.reached = 0; Object.defineProperty(Object.prototype, 'planted', "
                + "{ set(v) { globalThis.reached++; }, get() { return 'inherited'; }, configurable: true });"
                + "Object.defineProperty(Array.prototype, '1', { set(v) { globalThis.reached++; }, configurable: true });"
                + "Object.defineProperty(Object.prototype, '4', { set(v) { globalThis.reached++; }, configurable: true });");
        assertEquals("", compare.execute("{\"planted\":1,\"b\":{\"planted\":[2]}}").asString());
        assertEquals("", compare.execute("[\"echo\",[10,20,30],1]").asString());
        assertEquals("", compare.execute("[\"echo\",[10,[20,[30,40,50,60,70]],30,40,50,60],1]").asString());
        assertEquals(0, context.eval("js", "globalThis.reached").asInt());
    }

    private static Source bootstrap(String file) throws IOException {
        try (InputStream in = JsonFrameTest.class.getResourceAsStream("/io/workjs/runtime/" + file)) {
            return Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), file).build();
        }
    }
}
