package io.osprey.command;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A setting outside its range stops the start of a real command side with a message naming its key as documented. */
class BadSettingsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "osprey.command.snapshot-every=0                  | osprey.command.snapshot-every must be at least 1, got 0",
            "osprey.command.limits.in-flight-body-bytes=512KB | osprey.command.limits.in-flight-body-bytes must be at least 1MB"})
    void stopsTheStartNamingItsKey(String setting, String message) {
        assertThatThrownBy(() -> CommandSide.start("--" + setting)).hasStackTraceContaining(message);
    }

    @Test
    void aMissingS3CredentialIsNamedByItsDocumentedKey() {
        assertThatThrownBy(() -> CommandSide.start("--osprey.blob.type=s3", "--osprey.blob.s3.endpoint=http://127.0.0.1:9",
                "--osprey.blob.s3.bucket=osprey", "--osprey.blob.s3.secret-key=secret"))
                .hasStackTraceContaining("osprey.blob.s3.access-key is required");
    }
}
