package io.workjs.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Where {@link Pages#withClient} puts the client's script tag, for every shape of page. */
@Timeout(10)
class PagesTest {
    static final String TAG = "<script src=\"/_workjs/ws.js\"></script>";

    @Test
    void tagGoesRightAfterTheHeadTag() {
        assertEquals("<html><head>" + TAG + "<script src=a.js></script></head></html>",
                Pages.withClient("<html><head><script src=a.js></script></head></html>"));
    }

    @Test
    void upperCaseHeadTagWithAttributesIsFound() {
        assertEquals("<HTML><HEAD lang=\"en\" data-x='1'>" + TAG + "<SCRIPT></SCRIPT></HEAD>",
                Pages.withClient("<HTML><HEAD lang=\"en\" data-x='1'><SCRIPT></SCRIPT></HEAD>"));
    }

    @Test
    void headTagSpreadOverLinesIsFound() {
        assertEquals("<head\n  class=\"x\">" + TAG + "<title>t</title>", Pages.withClient("<head\n  class=\"x\"><title>t</title>"));
    }

    @Test
    void headerTagIsNotTakenForTheHeadTag() {
        assertEquals("<html>" + TAG + "<body><header>h</header></body></html>",
                Pages.withClient("<html><body><header>h</header></body></html>"));
    }

    @Test
    void withoutAHeadTheTagGoesAfterTheHtmlTag() {
        assertEquals("<!doctype html><html lang=\"en\">" + TAG + "<body><script>x()</script></body></html>",
                Pages.withClient("<!doctype html><html lang=\"en\"><body><script>x()</script></body></html>"));
    }

    @Test
    void withOnlyADoctypeTheTagGoesAfterIt() {
        assertEquals("<!DOCTYPE html>" + TAG + "<p>hi</p>", Pages.withClient("<!DOCTYPE html><p>hi</p>"));
    }

    @Test
    void withNeitherHeadNorHtmlTheTagGoesFirst() {
        assertEquals(TAG + "<p>fragment</p><script>x()</script>", Pages.withClient("<p>fragment</p><script>x()</script>"));
    }

    @Test
    void emptyPageIsJustTheTag() {
        assertEquals(TAG, Pages.withClient(""));
    }

    @Test
    void onlyTheFirstHeadTagGetsTheTag() {
        assertEquals("<head>" + TAG + "</head><template><head></head></template>",
                Pages.withClient("<head></head><template><head></head></template>"));
    }
}
