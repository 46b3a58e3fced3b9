package io.osprey.command.web;

import io.osprey.command.execution.CommandLimits;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Caps a command's JSON body at {@code osprey.command.limits.max-body-bytes}: past it, the request is a 413 and
 * nothing is written. Jackson reads a body whole before the command sees it (values over the inline threshold go
 * to the blob store only after that), so without a cap one request could take the heap. A body that declares a
 * larger Content-Length is refused before a byte of it is read.
 */
@ControllerAdvice(basePackages = "io.osprey.command")
public class JsonBodyLimit extends RequestBodyAdviceAdapter {

    private final long maxBytes;

    public JsonBodyLimit(CommandLimits limits) {
        this.maxBytes = limits.maxBodyBytes();
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
                                           Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        if (input.getHeaders().getContentLength() > maxBytes) {
            throw new UploadTooLargeException("body", "the JSON body is over its limit of " + maxBytes + " bytes");
        }
        // past the limit a read fails with BoundedInput.LimitExceededException, which CommandProblemHandler answers
        InputStream body = new BoundedInput(input.getBody(), maxBytes, null);
        HttpHeaders headers = withoutCharset(input.getHeaders());
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return body;
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    /**
     * JSON is UTF-8 (RFC 8259 defines no charset parameter: it has no effect), as the body's text is checked to be:
     * Jackson decoded a body declared {@code charset=ISO-8859-1} as Latin-1, and {@code été} was stored {@code Ã©tÃ©}.
     */
    private static HttpHeaders withoutCharset(HttpHeaders headers) {
        MediaType type = headers.getContentType();
        if (type == null || type.getCharset() == null) {
            return headers;
        }
        Map<String, String> parameters = new LinkedHashMap<>(type.getParameters());
        parameters.keySet().removeIf(name -> name.equalsIgnoreCase("charset"));
        HttpHeaders utf8 = new HttpHeaders();
        utf8.putAll(headers);
        utf8.setContentType(new MediaType(type.getType(), type.getSubtype(), parameters));
        return utf8;
    }
}
