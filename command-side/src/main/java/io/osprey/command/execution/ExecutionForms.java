package io.osprey.command.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.osprey.command.execution.ExecutionFiles.Upload;
import io.osprey.command.execution.ExecutionRequests.CreateExecutionRequest;
import io.osprey.command.web.FormReader;
import io.osprey.command.web.FormReader.FormPart;
import io.osprey.events.execution.Label;
import io.osprey.events.validation.Violations;
import io.osprey.events.web.StrictText;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

    /** Fields of a create form that describe the execution rather than an input. */
    static final Set<String> CREATE_FIELDS = Set.of("id", "namespace", "flowId", "flowRevision", "labels", "parentId");

    private static final TypeReference<List<Label>> LABELS = new TypeReference<>() {
    };

    private final FormReader forms;
    private final ObjectMapper json;

    public ExecutionForms(FormReader forms, ObjectMapper json) {
        this.forms = forms;
        this.json = json;
    }

    /** A form read: its values (by field name) and its file parts. */
    public record Form(Map<String, JsonNode> values, List<Upload> uploads) {
    }

    /** A create form: the request it describes (inputs from the fields) and its input files. */
    public record CreateForm(CreateExecutionRequest request, List<Upload> uploads) {
    }

    public CreateForm create(Violations v, HttpServletRequest request) {
        List<FormPart> parts = forms.read(request, "inputs");
        Map<String, String> own = new LinkedHashMap<>();
        Map<String, JsonNode> inputs = new LinkedHashMap<>();
        Map<String, String> fields = fields(v, parts, "inputs", CREATE_FIELDS);
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
                labels = json.readValue(own.get("labels"), LABELS); // null for "null": no labels, as in JSON
                (labels == null ? List.<Label>of() : labels).forEach(label -> {
                    if (label != null && (loneSurrogate(label.key()) || loneSurrogate(label.value()))) {
                        v.add("labels", "encoding", "labels hold an escaped half of a UTF-16 surrogate pair");
                    }
                });
            } catch (JsonProcessingException e) {
                v.add("labels", "json", "labels must be a JSON array of {\"key\": ..., \"value\": ...}");
            }
        }
        List<Upload> uploads = uploads(v, parts, fields.keySet(), "inputs");
        uploads.stream().filter(upload -> CREATE_FIELDS.contains(upload.name())).forEach(upload ->
                v.add(upload.name(), "not-a-file", upload.name() + " must be a field, not a file"));
        return new CreateForm(new CreateExecutionRequest(own.get("id"), own.get("namespace"), own.get("flowId"),
                flowRevision, labels, inputs, own.get("parentId"), null),
                uploads.stream().filter(upload -> !CREATE_FIELDS.contains(upload.name())).toList());
    }

    public Form values(Violations v, HttpServletRequest request, String field) {
        List<FormPart> parts = forms.read(request, field);
        Map<String, String> fields = fields(v, parts, field, Set.of());
        Map<String, JsonNode> values = new LinkedHashMap<>();
        fields.forEach((name, raw) -> values.put(name, value(v, field + "." + name, raw)));
        return new Form(values, uploads(v, parts, fields.keySet(), field));
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

    /** The form's fields, by name: its parts without a file name, decoded strictly (UTF-8 unless the part says otherwise). */
    private static Map<String, String> fields(Violations v, List<FormPart> parts, String field, Set<String> ownFields) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (FormPart part : parts) {
            if (!part.isFile()) {
                String text = text(v, field + "." + part.name(), part);
                given.computeIfAbsent(part.name(), name -> new ArrayList<>()).add(text);
            }
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

    private static String text(Violations v, String field, FormPart part) {
        Charset charset = StandardCharsets.UTF_8;
        if (part.contentType() != null) {
            try {
                Charset declared = MediaType.parseMediaType(part.contentType()).getCharset();
                charset = declared == null ? charset : declared;
            } catch (IllegalArgumentException e) { // a bad media type, charset name or unknown charset
                v.add(field, "content-type", field + " has a Content-Type that cannot be read: " + part.contentType());
                return "";
            }
        }
        byte[] bytes;
        try (InputStream in = part.bytes().open()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a field is held in memory
        }
        try {
            return StrictText.decode(bytes, charset);
        } catch (CharacterCodingException e) {
            v.add(field, "encoding", field + " is not valid " + charset.name() + " text; send binary content as a file part");
            return "";
        }
    }

    private static List<Upload> uploads(Violations v, List<FormPart> parts, Set<String> fieldNames, String field) {
        Map<String, List<FormPart>> files = new LinkedHashMap<>();
        parts.stream().filter(FormPart::isFile).forEach(part ->
                files.computeIfAbsent(part.name(), name -> new ArrayList<>()).add(part));
        List<Upload> uploads = new ArrayList<>();
        files.forEach((name, given) -> {
            if (given.size() > 1) {
                v.add(field + "." + name, "duplicate", "the file " + name + " is given " + given.size() + " times");
            }
            if (fieldNames.contains(name)) {
                v.add(field + "." + name, "duplicate", name + " is given both as a field and as a file");
            }
            FormPart part = given.get(0);
            uploads.add(new Upload(name, part.fileName(), part.bytes()::open));
        });
        return uploads;
    }
}
