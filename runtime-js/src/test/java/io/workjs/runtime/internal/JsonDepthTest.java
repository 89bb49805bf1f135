package io.workjs.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonDepthTest {
    @Test
    void countsArraysAndObjectsUpToTheLimit() {
        assertFalse(JsonDepth.exceeds("[\"a\",{\"b\":[1]}]", 3));
        assertTrue(JsonDepth.exceeds("[\"a\",{\"b\":[[1]]}]", 3));
    }

    @Test
    void ignoresBracketsInsideStringsAndEscapedQuotes() {
        assertFalse(JsonDepth.exceeds("[\"[[[[{{{{\\\"[[[[\"]", 1));
    }

    @Test
    void deepNestingIsFoundWithoutParsing() {
        assertTrue(JsonDepth.exceeds("[".repeat(100_000), 32));
        assertFalse(JsonDepth.exceeds("]]]]}}}}", 1));
    }
}
