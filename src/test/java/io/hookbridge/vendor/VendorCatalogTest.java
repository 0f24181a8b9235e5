package io.hookbridge.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link VendorCatalog#check}: every problem of a vendor file as {@code file:line: problem}; and overrides. */
class VendorCatalogTest {

    static final String MINIMAL = """
            id: demo
            name: Demo
            auth:
              scheme: token
              header: X-Token
            inbound:
              shapes:
                - required:
                    /kind: string
                  event: /kind
              subject: [/room]
            types:
              begin: session.started
            outbound:
              bodies:
                - body:
                    kind: ${ name }
                    room: ${ event.subject }
            """;

    @TempDir
    Path dir;

    List<String> check(String file, String yaml) throws IOException {
        Files.writeString(dir.resolve(file), yaml);
        return VendorCatalog.check(dir);
    }

    String at(String file, int line) {
        return dir.resolve(file) + ":" + line + ": ";
    }

    @Test
    void theRepositorysVendorsAreClean() {
        assertThat(VendorCatalog.check(Path.of("vendors"))).isEmpty();
        assertThat(VendorCatalog.check(dir.resolve("does-not-exist"))).isEmpty();
    }

    @Test
    void aGoodFileHasNoProblems() throws IOException {
        assertThat(check("demo.yaml", MINIMAL)).isEmpty();
    }

    @Test
    void yamlSyntaxErrorsNameTheirLine() throws IOException {
        assertThat(check("demo.yaml", MINIMAL.replace("  header: X-Token", "  header: [X-Token"))).singleElement()
                .asString().startsWith(at("demo.yaml", 6)).contains("YAML syntax");
    }

    @Test
    void unknownKeysNameTheirLineAndTheKnownOnes() throws IOException {
        assertThat(check("demo.yaml", MINIMAL.replace("  header: X-Token", "  header: X-Token\n  hedaer: X-Other"))).singleElement()
                .asString().startsWith(at("demo.yaml", 6)).contains("unknown key 'hedaer' under auth").contains("header");
    }

    @Test
    void wrongTypesNameTheirLine() throws IOException {
        assertThat(check("demo.yaml", MINIMAL.replace("subject: [/room]", "subject: {room: 1}"))).singleElement()
                .asString().startsWith(at("demo.yaml", 11)).contains("inbound.subject");
    }

    @Test
    void semanticProblemsNameTheLineOfThePartThatIsWrong() throws IOException {
        String broken = MINIMAL.replace("scheme: token", "scheme: hmac-sha512")
                .replace("/kind: string", "/kind: text")
                .replace("subject: [/room]", "subject: [room]");
        assertThat(check("demo.yaml", broken)).containsExactly(
                at("demo.yaml", 4) + "unknown auth.scheme 'hmac-sha512' (known: bearer, token, hmac-sha256, hmac-sha256-hex, "
                        + "hmac-sha256-base64, standard-webhooks, timestamped-hmac, attendee)",
                at("demo.yaml", 9) + "unknown kind 'text' for /kind (known: string, object, array, number, scalar, any)",
                at("demo.yaml", 11) + "'room' is neither a JSON Pointer (starting with /) nor a JSONPath (starting with $)");
    }

    @Test
    void badJsonPathsAndTemplatesNameTheirLine() throws IOException {
        assertThat(check("demo.yaml", MINIMAL.replace("subject: [/room]", "subject: [\"$..[?(\"]"))).singleElement()
                .asString().startsWith(at("demo.yaml", 11)).contains("not a valid JSONPath");
        assertThat(check("demo.yaml", MINIMAL.replace("${ event.subject }", "${ event.subject | upper }"))).singleElement()
                .asString().startsWith(at("demo.yaml", 18)).contains("unknown filter 'upper'");
        assertThat(check("demo.yaml", MINIMAL.replace("${ event.subject }", "${ event.subjet }"))).singleElement()
                .asString().startsWith(at("demo.yaml", 18)).contains("unknown value 'event.subjet'");
        assertThat(check("demo.yaml", MINIMAL.replace("    - body:", "    - events: [end]\n      body:")))
                .singleElement().asString().startsWith(at("demo.yaml", 15)).contains("no body template for begin");
    }

    @Test
    void duplicateIdsAreRefused() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), MINIMAL);
        assertThat(check("b.yaml", MINIMAL)).singleElement().asString()
                .startsWith(at("b.yaml", 1)).contains("vendor id 'demo' is already defined by " + dir.resolve("a.yaml"));
    }

    @Test
    void aFileOverridesTheBuiltInOfTheSameIdAndAddsNewOnes() throws IOException {
        String pencil = Files.readString(Path.of("vendors/pencil.yaml")).replace("name: Pencil Spaces", "name: Pencil (ours)");
        Files.writeString(dir.resolve("pencil.yaml"), pencil);
        Files.writeString(dir.resolve("demo.yaml"), MINIMAL);
        VendorCatalog catalog = new VendorCatalog(dir, definition -> List.of("s"), false);
        assertThat(catalog.vendors().definitions().keySet()).containsExactly("pencil", "iotum", "recordings", "attendee", "spaceos", "demo");
        assertThat(catalog.vendors().definitions().get("pencil").name).isEqualTo("Pencil (ours)");
        assertThat(catalog.vendors().origins().get("pencil")).isEqualTo(dir.resolve("pencil.yaml").toString());
        assertThat(catalog.vendors().origins().get("iotum")).isEqualTo("classpath:io/hookbridge/vendors/iotum.yaml");
        assertThat(catalog.vendors().formats()).containsKey("demo");
        assertThat(VendorCatalog.formats(dir)).containsExactly("pencil", "iotum", "recordings", "attendee", "spaceos", "demo");
    }

    @Test
    void aBrokenFileStopsStartUpButARefusedEditKeepsThePreviousDefinition() throws IOException {
        Files.writeString(dir.resolve("demo.yaml"), MINIMAL.replace("scheme: token", "scheme: nope"));
        assertThatThrownBy(() -> new VendorCatalog(dir, definition -> List.of(), false))
                .hasMessageContaining(dir.resolve("demo.yaml") + ":4: unknown auth.scheme 'nope'");

        Files.writeString(dir.resolve("demo.yaml"), MINIMAL);
        VendorCatalog catalog = new VendorCatalog(dir, definition -> List.of("s"), false);
        var before = catalog.find("demo");
        Files.writeString(dir.resolve("demo.yaml"), MINIMAL.replace("begin: session.started", "begin: [session.started"));
        assertThat(catalog.reload()).singleElement().asString().startsWith(dir.resolve("demo.yaml") + ":14: YAML syntax: while parsing a flow sequence; expected ',' or ']'");
        assertThat(catalog.find("demo").definition()).as("the previous definition keeps serving").isSameAs(before.definition());
        assertThat(catalog.problems()).hasSize(1);

        Files.writeString(dir.resolve("demo.yaml"), MINIMAL.replace("begin: session.started", "begin: session.ended"));
        assertThat(catalog.reload()).isEmpty();
        assertThat(TypeTable.canonicalType(catalog.find("demo").definition(), "begin", null)).isEqualTo("session.ended");

        Files.delete(dir.resolve("demo.yaml"));
        assertThat(catalog.reload()).isEmpty();
        assertThat(catalog.find("demo")).isNull();
        assertThat(catalog.find("pencil")).isNotNull();
    }
}
