package io.osprey.command.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.CharConversionException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTextCheckTest {

    /** The text as one piece and byte by byte: a sequence split between two reads is checked the same. */
    private static void check(byte[] body) throws CharConversionException {
        JsonTextCheck whole = new JsonTextCheck();
        whole.check(body, 0, body.length);
        whole.end();
        JsonTextCheck pieces = new JsonTextCheck();
        for (int i = 0; i < body.length; i++) {
            pieces.check(body, i, 1);
        }
        pieces.end();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** JSON with {@code <hex>} replaced by those bytes. */
    private static byte[] withBytes(String json, String hex) {
        String[] parts = json.split("<hex>", -1);
        byte[] before = utf8(parts[0]);
        byte[] middle = HexFormat.of().parseHex(hex);
        byte[] after = utf8(parts[1]);
        byte[] all = new byte[before.length + middle.length + after.length];
        System.arraycopy(before, 0, all, 0, before.length);
        System.arraycopy(middle, 0, all, before.length, middle.length);
        System.arraycopy(after, 0, all, before.length + middle.length, after.length);
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[{\"message\":\"plain ASCII text long enough to take the eight-byte path, twice over\"}]",
            "{\"m\":\"é ☃ 𝄞 😀 \\u00e9 \\ud83d\\ude00 \\\\ud800 \\\" \\n\"}",
            "{\"m\":\"\\uD834\\uDD1E at the end\\uDBFF\\uDFFF\"}",
            "{\"m\":\"\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\u0041\"}"})
    void wellFormedTextPasses(String json) {
        assertThatCode(() -> check(utf8(json))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0AF", "C080", "E080AF", "F0808080", "EDA080", "EDBFBF", "F4908080", "F5808080", "80",
            "BF", "FE", "FF", "C2", "E282", "F09F98", "C241", "E228A1"})
    void malformedUtf8IsRefusedWhereverItStands(String hex) {
        assertThatThrownBy(() -> check(withBytes("{\"message\":\"a/<hex>/b and some more text after it\"}", hex)))
                .isInstanceOf(JsonTextCheck.MalformedJsonTextException.class)
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> check(withBytes("{\"m\":\"<hex>", hex)))
                .isInstanceOf(JsonTextCheck.MalformedJsonTextException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "\\uD800x", "\\udc00", "\\uDFFF\\uD800", "\\ud800\\u0041", "\\ud800\\n",
            "\\ud800\\ud800", "\\ud800é"})
    void halfASurrogatePairIsRefused(String escapes) {
        assertThatThrownBy(() -> check(utf8("{\"message\":\"lone " + escapes + " end\"}")))
                .isInstanceOf(JsonTextCheck.MalformedJsonTextException.class)
                .hasMessageContaining("surrogate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE"})
    void bodiesInUtf16Or32AreRefused(String charset) {
        byte[] body = "[{\"message\":\"é\"}]".getBytes(java.nio.charset.Charset.forName(charset));
        assertThatThrownBy(() -> check(body))
                .isInstanceOf(JsonTextCheck.MalformedJsonTextException.class)
                .hasMessageContaining("UTF-8 (RFC 8259)");
    }
}
