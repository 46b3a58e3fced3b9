package io.osprey.blob;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobUriTest {

    @Test
    void encodesEverythingOutsideTheUnreservedCharacters() {
        BlobUri uri = BlobUri.of("main", "company.team", "_files", "my file+é~v1.csv");

        assertThat(uri.path()).isEqualTo("_files/my%20file%2B%C3%A9~v1.csv");
        assertThat(uri.key()).isEqualTo("main/company.team/_files/my%20file%2B%C3%A9~v1.csv");
        assertThat(uri).hasToString("osprey:///main/company.team/_files/my%20file%2B%C3%A9~v1.csv");
        assertThat(uri.toUri()).isEqualTo(URI.create(uri.toString()));
        assertThat(uri.segments()).containsExactly("_files", "my file+é~v1.csv");
        assertThat(uri.fileName()).isEqualTo("my file+é~v1.csv");
    }

    @Test
    void parsesWhatItPrintsAndCanonicalisesOtherSpellings() {
        BlobUri uri = BlobUri.of("main", "ns", "dir", "été 日本.txt");

        assertThat(BlobUri.parse(uri.toString())).isEqualTo(uri);
        assertThat(BlobUri.parse(uri.toUri())).isEqualTo(uri);
        assertThat(BlobUri.parse("OSPREY:///main/ns/dir/%c3%a9t%c3%a9%20%E6%97%A5%E6%9C%AC%2etxt")).isEqualTo(uri);
        assertThat(BlobUri.parse("osprey:///main/ns/%61")).isEqualTo(BlobUri.of("main", "ns", "a"));
    }

    @Test
    void refusesAnythingButATenantNamespaceAndPath() {
        List<String> refused = List.of(
                "osprey:///main/ns", "osprey:///main/ns/", "osprey:///main", "osprey:///",
                "osprey://host/main/ns/a", "osprey://user@/main/ns/a", "osprey:main/ns/a", "osprey:/main/ns/a?x=1",
                "osprey:///main/ns/a#frag", "s3:///main/ns/a", "/main/ns/a", "main/ns/a",
                "osprey:///main/ns/../a", "osprey:///main/ns/a/../../b", "osprey:///main/ns/./a", "osprey:///main/ns/a//b",
                "osprey:///main/ns/a/", "osprey:///main/ns/%2E%2E/a", "osprey:///main/ns/a%2Fb", "osprey:///main/ns/a%5Cb",
                "osprey:///main/ns/a%00b", "osprey:///main/ns/a%0Ab", "osprey:///main/ns/%FF", "osprey:///main/ns/%E6%97",
                "osprey:///main/ns/a%2", "osprey:///main/ns/a%zz", "osprey:///ma%20in/ns/a", "osprey:///main/n%2Fs/a",
                "osprey:///main/../a", "osprey:///../ns/a", "osprey:///main/ns/a b", "osprey:///main/ns/" + "a".repeat(201));
        for (String uri : refused) {
            assertThatThrownBy(() -> BlobUri.parse(uri)).as(uri).isInstanceOf(InvalidBlobKeyException.class);
        }
        assertThatThrownBy(() -> BlobUri.parse((String) null)).isInstanceOf(InvalidBlobKeyException.class);
    }

    @Test
    void checksTenantAndNamespaceWithKestrasRules() {
        for (String name : List.of("", "ma in", ".main", "main.", "a..b", "a/b", "é", "%41")) {
            assertThatThrownBy(() -> BlobUri.of(name, "ns", "a")).as(name).isInstanceOf(InvalidBlobKeyException.class);
            assertThatThrownBy(() -> BlobUri.of("main", name, "a")).as(name).isInstanceOf(InvalidBlobKeyException.class);
        }
        assertThat(BlobUri.of("x".repeat(64), "y".repeat(150), "a").tenant()).hasSize(64);
        assertThatThrownBy(() -> BlobUri.of("x".repeat(65), "ns", "a")).isInstanceOf(InvalidBlobKeyException.class);
        assertThatThrownBy(() -> BlobUri.of("main", "y".repeat(151), "a")).isInstanceOf(InvalidBlobKeyException.class);
        assertThat(BlobUri.of("tenant_1", "io.kestra-dev.team_a", "a").key()).isEqualTo("tenant_1/io.kestra-dev.team_a/a");
    }

    @Test
    void refusesRawSegmentsThatCouldEscapeOrConfuse() {
        for (String segment : List.of("", ".", "..", "a/b", "a\\b", "tab\there", "nul\u0000", "del\u007F", "lone\uD800surrogate")) {
            assertThatThrownBy(() -> BlobUri.of("main", "ns", segment)).as(segment).isInstanceOf(InvalidBlobKeyException.class);
        }
        assertThat(BlobUri.of("main", "ns", "...", ".hidden", "a..b").path()).isEqualTo(".../.hidden/a..b");
    }

    @Test
    void limitsSegmentsAndKeys() {
        assertThat(BlobUri.of("main", "ns", "a".repeat(200)).path()).hasSize(200);
        assertThatThrownBy(() -> BlobUri.of("main", "ns", "a".repeat(201))).isInstanceOf(InvalidBlobKeyException.class);
        assertThatThrownBy(() -> BlobUri.of("main", "ns", "é".repeat(34))).as("6 bytes a character once encoded")
                .isInstanceOf(InvalidBlobKeyException.class);
        String[] sixSegments = "abcdef".chars().mapToObj(c -> String.valueOf((char) c).repeat(170)).toArray(String[]::new);
        assertThatThrownBy(() -> BlobUri.of("main", "ns", sixSegments)).hasMessageContaining("1024");
    }

    @Test
    void theConstructorTakesOnlyCanonicalPaths() {
        assertThat(new BlobUri("main", "ns", "a/b%20c").fileName()).isEqualTo("b c");
        for (String path : List.of("a b", "../x", "a//b", "/a", "a/", "%7e", "%c3%a9", "")) {
            assertThatThrownBy(() -> new BlobUri("main", "ns", path)).as(path).isInstanceOf(InvalidBlobKeyException.class);
        }
    }

    @Test
    void readsStorageKeysBackAndPassesOverStrangers() {
        assertThat(BlobUri.fromKey("main/ns/a/b%20c")).contains(new BlobUri("main", "ns", "a/b%20c"));
        for (String key : List.of("main/ns", "main/ns/", "main/ns/a%7e", "main/ns/a b", "main/ns/a//b", ".uploads/x/y", "dir/")) {
            assertThat(BlobUri.fromKey(key)).as(key).isEmpty();
        }
    }
}
