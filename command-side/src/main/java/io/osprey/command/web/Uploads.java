package io.osprey.command.web;

import io.osprey.events.validation.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * What an upload endpoint reads from its multipart request, in the order that keeps bad requests cheap:
 * query parameters first (without touching the body), then the file part.
 */
@Component
public class Uploads {

    private final UploadLimits limits;

    public Uploads(UploadLimits limits) {
        this.limits = limits;
    }

    /**
     * A query parameter of the request, null when absent. Asking the servlet request for a parameter would
     * make the container parse the whole multipart body first; this reads the query string alone.
     */
    public String queryParameter(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        try {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (decode(equals < 0 ? pair : pair.substring(0, equals)).equals(name)) {
                    return equals < 0 ? "" : decode(pair.substring(equals + 1));
                }
            }
        } catch (IllegalArgumentException badEscape) {
            throw new InvalidInputException(name, "encoding", "the query string is not valid percent-encoded UTF-8");
        }
        return null;
    }

    /** The named file part; reading it spools the body, within {@link UploadLimits}. */
    public MultipartFile filePart(HttpServletRequest request, String name) {
        if (!(request instanceof MultipartHttpServletRequest multipart)) {
            throw new InvalidInputException(name, "required", "a multipart/form-data body with a '" + name + "' part is required");
        }
        MultipartFile file;
        try {
            file = multipart.getFile(name);
        } catch (MaxUploadSizeExceededException e) {
            throw new UploadTooLargeException(name, limits);
        } catch (MultipartException e) {
            throw new InvalidInputException(name, "multipart",
                    "the multipart body cannot be read: " + e.getMostSpecificCause().getMessage());
        }
        if (file == null) {
            throw new InvalidInputException(name, "required", "the multipart body has no '" + name + "' part");
        }
        return file;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
