package io.osprey.command.execution;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Size limits on what one command may carry ({@code osprey.command.limits.*}).
 *
 * @param maxLabels      labels per execution
 * @param maxValuesBytes serialized size of one inputs / outputs / variables map
 */
@ConfigurationProperties("osprey.command.limits")
public record CommandLimits(Integer maxLabels, Integer maxValuesBytes) {

    public CommandLimits {
        maxLabels = maxLabels == null ? 100 : maxLabels;
        maxValuesBytes = maxValuesBytes == null ? 256 * 1024 : maxValuesBytes;
    }
}
