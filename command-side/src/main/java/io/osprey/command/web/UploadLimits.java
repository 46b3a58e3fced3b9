package io.osprey.command.web;

import io.osprey.events.validation.SettingRules;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How large an upload may be ({@code osprey.files.*}): one file, and the whole multipart request. The
 * defaults live here rather than in a YAML file so that the standalone application gets them too.
 */
@ConfigurationProperties("osprey.files")
public record UploadLimits(DataSize maxFileSize, DataSize maxRequestSize) {

    public UploadLimits {
        maxFileSize = maxFileSize == null ? DataSize.ofMegabytes(100) : maxFileSize;
        maxRequestSize = maxRequestSize == null ? DataSize.ofMegabytes(110) : maxRequestSize;
        SettingRules.atLeast("osprey.files.max-file-size", 1, maxFileSize.toBytes());
        SettingRules.atLeast("osprey.files.max-request-size", 1, maxRequestSize.toBytes());
    }
}
