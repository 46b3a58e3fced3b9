package io.osprey.command.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.osprey.command.execution.ExecutionFiles.Upload;
import io.osprey.command.execution.ExecutionRequests.CreateExecutionRequest;
import io.osprey.command.web.MultipartFailures;
import io.osprey.events.execution.Label;
import io.osprey.events.validation.InvalidInputException;
import io.osprey.events.validation.Violations;
import io.osprey.events.web.StrictText;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The multipart/form-data bodies of the execution API: each field is a value (parsed as JSON when it is valid
 * JSON, kept as a string otherwise) and each file part a file, the part's name being the input or output name.
 * Creating an execution also takes its own fields ({@link #CREATE_FIELDS}) from the form.
 */
@Component
public class ExecutionForms {

    private static final int MAX_EPILOGUE_BYTES = 64 * 1024;

    /** Fields of a create form that describe the execution rather than an input. */
    static final Set<String> CREATE_FIELDS = Set.of("id", "namespace", "flowId", "flowRevision", "labels", "parentId");

    private static final TypeReference<List<Label>> LABELS = new TypeReference<>() {
    };

    private final MultipartFailures failures;
    private final ObjectMapper json;

    public ExecutionForms(MultipartFailures failures, ObjectMapper json) {
        this.failures = failures;
        this.json = json;
    }

    /** A form read: its values (by field name) and its file parts. */
    public record Form(Map<String, JsonNode> values, List<Upload> uploads) {
    }

    /** A create form: the request it describes (inputs from the fields) and its input files. */
    public record CreateForm(CreateExecutionRequest request, List<Upload> uploads) {
    }

    public CreateForm create(Violations v, HttpServletRequest request) {
        MultipartHttpServletRequest multipart = multipart(request, "inputs");
        Map<String, String> own = new LinkedHashMap<>();
        Map<String, JsonNode> inputs = new LinkedHashMap<>();
        Map<String, String> fields = fields(v, multipart, "inputs", CREATE_FIELDS);
        fields.forEach((name, raw) -> {
            if (CREATE_FIELDS.contains(name)) {
                own.put(name, raw);
            } else {
                inputs.put(name, value(v, "inputs." + name, raw));
            }
        });
        Integer flowRevision = null;
        if (own.get("flowRevision") != null) {
            flowRevision = integer(v, "flowRevision", own.get("flowRevision"));
        }
        List<Label> labels = null;
        if (own.get("labels") != null) {
            try {
                labels = json.readValue(own.get("labels"), LABELS);
                labels.forEach(label -> {
                    if (label != null && (loneSurrogate(label.key()) || loneSurrogate(label.value()))) {
                        v.add("labels", "encoding", "labels hold an escaped half of a UTF-16 surrogate pair");
                    }
                });
            } catch (JsonProcessingException e) {
                v.add("labels", "json", "labels must be a JSON array of {\"key\": ..., \"value\": ...}");
            }
        }
        List<Upload> uploads = uploads(v, multipart, fields.keySet(), "inputs");
        uploads.stream().filter(upload -> CREATE_FIELDS.contains(upload.name())).forEach(upload ->
                v.add(upload.name(), "not-a-file", upload.name() + " must be a field, not a file"));
        return new CreateForm(new CreateExecutionRequest(own.get("id"), own.get("namespace"), own.get("flowId"),
                flowRevision, labels, inputs, own.get("parentId"), null),
                uploads.stream().filter(upload -> !CREATE_FIELDS.contains(upload.name())).toList());
    }

    public Form values(Violations v, HttpServletRequest request, String field) {
        MultipartHttpServletRequest multipart = multipart(request, field);
        Map<String, String> fields = fields(v, multipart, field, Set.of());
        Map<String, JsonNode> values = new LinkedHashMap<>();
        fields.forEach((name, raw) -> values.put(name, value(v, field + "." + name, raw)));
        return new Form(values, uploads(v, multipart, fields.keySet(), field));
    }

    /**
     * A field's value: JSON when it parses as JSON, the text itself otherwise. JSON is held to the rules of a JSON
     * body: a key given twice, or an escaped half of a surrogate pair (stored as '?'), is refused, not kept as text.
     */
    JsonNode value(Violations v, String field, String raw) {
        try {
            JsonNode node = json.readTree(raw);
            if (node == null || node.isMissingNode()) {
                return TextNode.valueOf(raw);
            }
            if (holdsLoneSurrogate(node)) {
                v.add(field, "encoding", field + " holds an escaped half of a UTF-16 surrogate pair (RFC 8259)");
            }
            return node;
        } catch (JsonProcessingException notJson) {
            if (notJson.getOriginalMessage().startsWith("Duplicate field")) {
                v.add(field, "duplicate", field + " is JSON with a key given twice: " + notJson.getOriginalMessage());
            }
            return TextNode.valueOf(raw);
        }
    }

    /** An integer field of the form, as JSON writes one: ASCII digits, an optional minus (rules type, range). */
    private static Integer integer(Violations v, String field, String raw) {
        if (!Violations.ASCII_INTEGER.matcher(raw).matches()) {
            v.add(field, "type", field + " must be an integer, like 3; got '" + raw + "'");
            return 1; // reported; keeps the missing-field rule from firing too
        }
        try {
            return Integer.valueOf(raw);
        } catch (NumberFormatException tooLarge) {
            v.add(field, "range", field + " is out of range: " + raw);
            return 1;
        }
    }

    private static boolean holdsLoneSurrogate(JsonNode node) {
        if (node.isTextual()) {
            return loneSurrogate(node.textValue());
        }
        // an object's names, then the values of an object or the elements of an array
        return node.properties().stream().anyMatch(field -> loneSurrogate(field.getKey()))
                || node.valueStream().anyMatch(ExecutionForms::holdsLoneSurrogate);
    }

    private static boolean loneSurrogate(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The body's fields, by name: its parts without a file name, decoded strictly (UTF-8 unless the part says
     * otherwise). Read from the parts, not the request parameters, which the container mixes with the query string.
     */
    private Map<String, String> fields(Violations v, MultipartHttpServletRequest multipart, String field,
                                       Set<String> ownFields) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        try {
            for (Part part : multipart.getParts()) {
                String disposition = part.getHeader(HttpHeaders.CONTENT_DISPOSITION);
                if (disposition != null && ContentDisposition.parse(disposition).getFilename() == null) {
                    String text = text(v, field + "." + part.getName(), part);
                    given.computeIfAbsent(part.getName(), name -> new ArrayList<>()).add(text);
                }
            }
        } catch (IOException | ServletException e) {
            throw new InvalidInputException("body", "multipart", "the multipart body cannot be read: " + e.getMessage());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        given.forEach((name, values) -> {
            if (values.size() > 1) {
                v.add(ownFields.contains(name) ? name : field + "." + name, "duplicate",
                        name + " is given " + values.size() + " times");
            }
            fields.put(name, values.get(0));
        });
        return fields;
    }

    private static String text(Violations v, String field, Part part) throws IOException {
        Charset charset = StandardCharsets.UTF_8;
        if (part.getContentType() != null) {
            try {
                Charset declared = MediaType.parseMediaType(part.getContentType()).getCharset();
                charset = declared == null ? charset : declared;
            } catch (IllegalArgumentException e) { // a bad media type, charset name or unknown charset
                v.add(field, "content-type", field + " has a Content-Type that cannot be read: " + part.getContentType());
                return "";
            }
        }
        byte[] bytes;
        try (InputStream in = part.getInputStream()) {
            bytes = in.readAllBytes();
        }
        try {
            return StrictText.decode(bytes, charset);
        } catch (CharacterCodingException e) {
            v.add(field, "encoding", field + " is not valid " + charset.name() + " text; send binary content as a file part");
            return "";
        }
    }

    private List<Upload> uploads(Violations v, MultipartHttpServletRequest multipart, Set<String> fieldNames, String field) {
        MultiValueMap<String, MultipartFile> files = multipart.getMultiFileMap();
        List<Upload> uploads = new ArrayList<>();
        files.forEach((name, parts) -> {
            if (parts.size() > 1) {
                v.add(field + "." + name, "duplicate", "the file " + name + " is given " + parts.size() + " times");
            }
            if (fieldNames.contains(name)) {
                v.add(field + "." + name, "duplicate", name + " is given both as a field and as a file");
            }
            MultipartFile part = parts.get(0);
            uploads.add(new Upload(name, part.getOriginalFilename(), part::getInputStream));
        });
        return uploads;
    }

    /**
     * The container stops reading at the closing boundary: a body cut short after it (the client gone before the
     * Content-Length it declared) was taken as whole, and written. What follows the boundary is read to the body's end.
     */
    private static void readToItsEnd(HttpServletRequest request) throws IOException {
        byte[] buffer = new byte[8192];
        long left = MAX_EPILOGUE_BYTES;
        InputStream body = request.getInputStream();
        for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
            left -= read;
            if (left < 0) {
                throw new InvalidInputException("body", "multipart",
                        "the multipart body goes on for over " + MAX_EPILOGUE_BYTES + " bytes after its closing boundary");
            }
        }
    }

    /** The request's multipart body, parsed by the container (within its limits) before anything is read from it. */
    private MultipartHttpServletRequest multipart(HttpServletRequest request, String field) {
        if (!(request instanceof MultipartHttpServletRequest multipart)) {
            throw new InvalidInputException("body", "multipart", "a multipart/form-data body is required");
        }
        try {
            multipart.getMultiFileMap();
            // the container reads a body without its boundary as no parts at all, which would pass for missing fields
            if (multipart.getParts().isEmpty()) {
                throw new InvalidInputException("body", "multipart",
                        "the multipart body holds no parts: its boundary does not start it, or it has none");
            }
            readToItsEnd(request);
        } catch (MultipartException e) {
            throw failures.problem(e, field);
        } catch (IOException | ServletException e) {
            throw new InvalidInputException("body", "multipart", "the multipart body cannot be read: " + e.getMessage());
        }
        return multipart;
    }
}
