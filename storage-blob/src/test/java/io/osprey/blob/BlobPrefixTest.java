package io.osprey.blob;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobPrefixTest {

    @Test
    void startsWithAWholeTenant() {
        for (String value : List.of("main/", "main/co", "main/company.team/", "main/company.team/_files/rep", "main/ns/a%20b/")) {
            assertThat(new BlobPrefix(value).value()).isEqualTo(value);
        }
        assertThat(BlobPrefix.of("main")).isEqualTo(new BlobPrefix("main/"));
        assertThat(BlobPrefix.of("main", "ns", "a b", "c")).isEqualTo(new BlobPrefix("main/ns/a%20b/c/"));
    }

    @Test
    void refusesPrefixesThatCrossTenantsOrEscape() {
        for (String value : List.of("", "main", "ma", "/main/", "../", "main/../", "main/ns/../x/", "main/ns//", "main//",
                "main/ns/a b", "main/ns/a%2", "main/ns/..", "main/ns/%7e/")) {
            assertThatThrownBy(() -> new BlobPrefix(value)).as(value).isInstanceOf(InvalidBlobKeyException.class);
        }
        assertThatThrownBy(() -> new BlobPrefix(null)).isInstanceOf(InvalidBlobKeyException.class);
    }
}
