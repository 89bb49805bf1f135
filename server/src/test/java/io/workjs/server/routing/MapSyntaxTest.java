package io.workjs.server.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapSyntaxTest {
    @TempDir
    Path dir;
    TestSite site;

    @BeforeEach
    void setUp() {
        site = new TestSite(dir);
    }

    @Test
    void commentsAndBlankLinesAreIgnored() {
        site.write("MAP", "# routes", "", "   ", "  # indented comment", "/  GET  index");
        List<Route> routes = site.load().routes();
        assertEquals(1, routes.size());
        assertEquals("MAP:5", routes.get(0).source());
    }

    @Test
    void tabsAndMultipleSpacesSeparateFields() {
        site.write("MAP", "\t/chat\t \tget   chat\t");
        Route route = site.onlyRoute();
        assertEquals("/chat", route.pattern());
        assertEquals("GET", route.method());
        assertEquals("chat", route.target());
        assertTrue(route.flags().isEmpty());
    }

    @Test
    void methodsAreCaseInsensitiveAndStoredUpperCase() {
        site.write("MAP", "/a post a", "/b Options b", "/c * c");
        List<String> methods = site.load().routes().stream().map(Route::method).toList();
        assertEquals(List.of("POST", "OPTIONS", "*"), methods);
    }

    @Test
    void everyKnownVerbIsAccepted() {
        site.write("MAP", "/a GET a", "/a HEAD a", "/a POST a", "/a PUT a", "/a DELETE a", "/a PATCH a",
                "/a OPTIONS a");
        assertEquals(7, site.load().routes().size());
    }

    @Test
    void targetNamesPageAndControllerInTheMapsFolder() {
        site.write("MAP", "/room GET sub/page");
        Route route = site.onlyRoute();
        Path root = dir.toAbsolutePath().normalize();
        assertEquals("sub/page", route.target());
        assertEquals(root.resolve("sub/page.html"), route.page());
        assertEquals(root.resolve("sub/page.ws"), route.controller());
    }

    @Test
    void targetDotDotIsFineWhileItStaysInsideTheSite() {
        site.write("MAP", "/a GET sub/../other");
        assertEquals("other", site.onlyRoute().target());
    }

    @Test
    void atMeansTheRootAtTopLevel() {
        site.write("MAP", "@ GET index");
        assertEquals("/", site.onlyRoute().pattern());
    }

    @Test
    void absolutePathAtTopLevelIsJustThePath() {
        site.write("MAP", "=/abs GET abs");
        assertEquals("/abs", site.onlyRoute().pattern());
    }

    @Test
    void missingPagesAndControllersAreNotErrors() {
        site.write("MAP", "/nothing GET does/not/exist");
        assertEquals("does/not/exist", site.onlyRoute().target());
    }

    @Test
    void missingTopLevelMapIsAnError() {
        assertEquals("MAP: not found in " + dir.toAbsolutePath().normalize(), site.loadError());
    }

    @Test
    void tooFewFieldsStopLoadingWithFileAndLine() {
        site.write("MAP", "# one", "/chat GET");
        assertEquals("MAP:2: need at least 3 fields (urlpath method target [flags]), found 2", site.loadError());
    }

    @Test
    void aSingleFieldIsCountedToo() {
        site.write("MAP", "/chat");
        assertEquals("MAP:1: need at least 3 fields (urlpath method target [flags]), found 1", site.loadError());
    }

    @Test
    void urlpathMustStartWithSlashAtOrEqualsSlash() {
        site.write("MAP", "chat GET chat");
        assertEquals("MAP:1: urlpath \"chat\" must start with \"/\" or \"=/\", or be \"@\"", site.loadError());
    }

    @Test
    void equalsWithoutSlashIsNotAnAbsolutePath() {
        site.write("MAP", "=chat GET chat");
        assertEquals("MAP:1: urlpath \"=chat\" must start with \"/\" or \"=/\", or be \"@\"", site.loadError());
    }

    @Test
    void wildcardThatIsNotLastStopsLoading() {
        site.write("MAP", "/a/*/b GET a");
        assertEquals("MAP:1: \"*\" must be the last segment of \"/a/*/b\"", site.loadError());
    }

    @Test
    void emptyVariableNameStopsLoading() {
        site.write("MAP", "/chat/: GET chat");
        assertEquals("MAP:1: empty variable name in \"/chat/:\"", site.loadError());
    }

    @Test
    void duplicateVariableNameStopsLoading() {
        site.write("MAP", "/:room/x/:room GET chat");
        assertEquals("MAP:1: variable \":room\" appears twice in \"/:room/x/:room\"", site.loadError());
    }

    @Test
    void variableNamedLocationClashesWithAWildcard() {
        site.write("MAP", "/:_location/* GET chat");
        assertEquals("MAP:1: variable \":_location\" clashes with the wildcard in \"/:_location/*\"",
                site.loadError());
    }

    @Test
    void emptySegmentStopsLoading() {
        site.write("MAP", "/a//b GET chat");
        assertEquals("MAP:1: urlpath \"/a//b\" has an empty segment", site.loadError());
    }

    @Test
    void unknownMethodStopsLoadingWithFileAndLine() {
        site.write("MAP", "/a GET a", "/b GET b", "/chat FETCH chat");
        assertEquals("MAP:3: unknown method \"FETCH\"", site.loadError());
    }

    @Test
    void absoluteTargetStopsLoading() {
        site.write("MAP", "/a GET /etc/passwd");
        assertEquals("MAP:1: target \"/etc/passwd\" must be relative to the MAP's folder", site.loadError());
    }

    @Test
    void targetOutsideTheSiteStopsLoading() {
        site.write("MAP", "/a GET sub/../../secret");
        assertEquals("MAP:1: target \"sub/../../secret\" is outside the site directory", site.loadError());
    }

    @Test
    void targetWithHtmlExtensionTellsToDropIt() {
        site.write("MAP", "/a GET chat.html");
        assertEquals("MAP:1: target \"chat.html\" must not have an extension: write \"chat\"", site.loadError());
    }

    @Test
    void targetWithWsExtensionTellsToDropIt() {
        site.write("MAP", "/a GET sub/chat.ws");
        assertEquals("MAP:1: target \"sub/chat.ws\" must not have an extension: write \"sub/chat\"",
                site.loadError());
    }

    @Test
    void targetNamingAFolderStopsLoading() {
        site.write("MAP", "/a GET sub/..");
        assertEquals("MAP:1: target \"sub/..\" names a folder, not a page", site.loadError());
    }

    @Test
    void byteOrderMarkDoesNotBreakTheFirstLine() {
        site.write("MAP", "\uFEFF/a GET a");
        assertEquals("/a", site.onlyRoute().pattern());
    }

    @Test
    void mapThatIsNotUtf8StopsLoading() throws Exception {
        Files.write(dir.resolve("MAP"), new byte[] {'/', 'a', ' ', (byte) 0xFF, '\n'});
        assertEquals("MAP: is not UTF-8 text", site.loadError());
    }
}
