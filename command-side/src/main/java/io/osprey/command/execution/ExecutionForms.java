package io.osprey.command.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.osprey.command.execution.ExecutionFiles.Upload;
import io.osprey.command.execution.ExecutionRequests.CreateExecutionRequest;
import io.osprey.command.web.UploadLimits;
import io.osprey.command.web.UploadTooLargeException;
import io.osprey.events.execution.Label;
import io.osprey.events.validation.InvalidInputException;
import io.osprey.events.validation.Violations;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

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

    private final UploadLimits limits;
    private final ObjectMapper json;

    public ExecutionForms(UploadLimits limits, ObjectMapper json) {
        this.limits = limits;
        this.json = json;
    }

    /** A form read: its values (by field name) and its file parts. */
    public record Form(Map<String, JsonNode> values, List<Upload> uploads) {
    }

    /** A create form: the request it describes (inputs from the fields) and its input files. */
    public record CreateForm(CreateExecutionRequest request, List<Upload> uploads) {
    }

    public CreateForm create(Violations v, HttpServletRequest request) {
        MultipartHttpServletRequest multipart = multipart(request);
        Map<String, String> own = new LinkedHashMap<>();
        Map<String, JsonNode> inputs = new LinkedHashMap<>();
        fields(v, multipart, "inputs").forEach((name, raw) -> {
            if (CREATE_FIELDS.contains(name)) {
                own.put(name, raw);
            } else {
                inputs.put(name, value(raw));
            }
        });
        Integer flowRevision = null;
        if (own.get("flowRevision") != null) {
            try {
                flowRevision = Integer.valueOf(own.get("flowRevision").trim());
            } catch (NumberFormatException e) {
                v.add("flowRevision", "integer", "flowRevision must be an integer");
                flowRevision = 1; // reported; keeps the missing-field rule from firing too
            }
        }
        List<Label> labels = null;
        if (own.get("labels") != null) {
            try {
                labels = json.readValue(own.get("labels"), LABELS);
            } catch (JsonProcessingException e) {
                v.add("labels", "json", "labels must be a JSON array of {\"key\": ..., \"value\": ...}");
            }
        }
        List<Upload> uploads = uploads(v, multipart, "inputs");
        uploads.stream().filter(upload -> CREATE_FIELDS.contains(upload.name())).forEach(upload ->
                v.add(upload.name(), "not-a-file", upload.name() + " must be a field, not a file"));
        return new CreateForm(new CreateExecutionRequest(own.get("id"), own.get("namespace"), own.get("flowId"),
                flowRevision, labels, inputs, own.get("parentId"), null),
                uploads.stream().filter(upload -> !CREATE_FIELDS.contains(upload.name())).toList());
    }

    public Form values(Violations v, HttpServletRequest request, String field) {
        MultipartHttpServletRequest multipart = multipart(request);
        Map<String, JsonNode> values = new LinkedHashMap<>();
        fields(v, multipart, field).forEach((name, raw) -> values.put(name, value(raw)));
        return new Form(values, uploads(v, multipart, field));
    }

    /** A field's value: JSON when it parses as JSON, the text itself otherwise. */
    JsonNode value(String raw) {
        try {
            JsonNode node = json.readTree(raw);
            return node == null || node.isMissingNode() ? TextNode.valueOf(raw) : node;
        } catch (JsonProcessingException notJson) {
            return TextNode.valueOf(raw);
        }
    }

    private Map<String, String> fields(Violations v, MultipartHttpServletRequest multipart, String field) {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String[]> parameters;
        try {
            parameters = multipart.getParameterMap();
        } catch (MaxUploadSizeExceededException e) {
            throw new UploadTooLargeException(field, limits);
        }
        parameters.forEach((name, values) -> {
            if (values.length > 1) {
                v.add(field + "." + name, "duplicate", name + " is given " + values.length + " times");
            }
            fields.put(name, values[0]);
        });
        return fields;
    }

    private List<Upload> uploads(Violations v, MultipartHttpServletRequest multipart, String field) {
        MultiValueMap<String, MultipartFile> files;
        try {
            files = multipart.getMultiFileMap();
        } catch (MaxUploadSizeExceededException e) {
            throw new UploadTooLargeException(field, limits);
        }
        List<Upload> uploads = new ArrayList<>();
        files.forEach((name, parts) -> {
            if (parts.size() > 1) {
                v.add(field + "." + name, "duplicate", "the file " + name + " is given " + parts.size() + " times");
            }
            MultipartFile part = parts.get(0);
            uploads.add(new Upload(name, part.getOriginalFilename(), part::getInputStream));
        });
        if (!uploads.isEmpty() && multipart.getParameterMap().keySet().stream()
                .anyMatch(files::containsKey)) {
            files.keySet().stream().filter(multipart.getParameterMap()::containsKey).forEach(name ->
                    v.add(field + "." + name, "duplicate", name + " is given both as a field and as a file"));
        }
        return uploads;
    }

    private MultipartHttpServletRequest multipart(HttpServletRequest request) {
        if (!(request instanceof MultipartHttpServletRequest multipart)) {
            throw new InvalidInputException("body", "multipart", "a multipart/form-data body is required");
        }
        try {
            multipart.getMultiFileMap();
        } catch (MaxUploadSizeExceededException e) {
            throw new UploadTooLargeException("body", limits);
        } catch (MultipartException e) {
            throw new InvalidInputException("body", "multipart",
                    "the multipart body cannot be read: " + e.getMostSpecificCause().getMessage());
        }
        return multipart;
    }
}
