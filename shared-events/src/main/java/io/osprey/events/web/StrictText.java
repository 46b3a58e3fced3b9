package io.osprey.events.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/** Bytes read as text only when they are text in their charset: a request's text is never silently altered. */
public final class StrictText {

    private StrictText() {
    }

    /** The text, or a {@link CharacterCodingException} where a decoder would otherwise put a replacement character. */
    public static String decode(byte[] bytes, Charset charset) throws CharacterCodingException {
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}
