package io.osprey.command.execution;

import io.osprey.events.validation.SettingRules;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Size limits on what one command may carry ({@code osprey.command.limits.*}).
 *
 * @param maxLabels        labels per execution
 * @param maxValuesBytes   serialized size of one inputs / outputs / variables map, as the event carries it
 *                         (values stored as blobs count as their URI)
 * @param inlineValueBytes an input, output or variable whose JSON is larger than this is stored as a blob, and
 *                         the event carries its {@code osprey:///} URI instead
 * @param maxBodyBytes     a command's JSON body, read whole before the command sees it (files go as multipart,
 *                         within {@code osprey.files.*}; log batches within {@code osprey.logs.ingest.max-bytes})
 * @param inFlightBodyBytes what the bodies read whole (JSON commands, log batches) of the requests in progress may
 *                         take together; a body of 64 KiB or more waits for room. Default: an eighth of the heap
 * @param inFlightWait     how long such a request waits for room before it is a 503; default 30 s
 */
@ConfigurationProperties("osprey.command.limits")
public record CommandLimits(Integer maxLabels, Integer maxValuesBytes, Integer inlineValueBytes, Integer maxBodyBytes,
                            DataSize inFlightBodyBytes, Duration inFlightWait) {

    public CommandLimits {
        maxLabels = maxLabels == null ? 100 : maxLabels;
        maxValuesBytes = maxValuesBytes == null ? 256 * 1024 : maxValuesBytes;
        inlineValueBytes = inlineValueBytes == null ? 1024 : inlineValueBytes;
        maxBodyBytes = maxBodyBytes == null ? 10 * 1024 * 1024 : maxBodyBytes;
        inFlightBodyBytes = inFlightBodyBytes == null ? DataSize.ofBytes(Runtime.getRuntime().maxMemory() / 8) : inFlightBodyBytes;
        inFlightWait = inFlightWait == null ? Duration.ofSeconds(30) : inFlightWait;
        SettingRules.atLeast("osprey.command.limits.max-labels", 0, maxLabels);
        SettingRules.atLeast("osprey.command.limits.max-values-bytes", 1, maxValuesBytes);
        SettingRules.atLeast("osprey.command.limits.inline-value-bytes", 0, inlineValueBytes);
        SettingRules.atLeast("osprey.command.limits.max-body-bytes", 1, maxBodyBytes);
        if (inFlightBodyBytes.toBytes() < 1024 * 1024) {
            throw new IllegalArgumentException("osprey.command.limits.in-flight-body-bytes must be at least 1MB, got "
                    + inFlightBodyBytes);
        }
        SettingRules.notNegative("osprey.command.limits.in-flight-wait", inFlightWait);
    }
}
