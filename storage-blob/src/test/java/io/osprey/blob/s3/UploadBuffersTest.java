package io.osprey.blob.s3;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadBuffersTest {

    @Test
    void createsBuffersOnDemandUpToItsCapacity() {
        UploadBuffers buffers = new UploadBuffers(16, 2);
        assertThat(buffers.created()).isZero();

        byte[] first = buffers.take();
        byte[] second = buffers.take();

        assertThat(first).hasSize(16);
        assertThat(second).hasSize(16).isNotSameAs(first);
        assertThat(buffers.take()).as("all in use").isNull();
        assertThat(buffers.created()).isEqualTo(2);
    }

    @Test
    void reusesAReleasedBufferInsteadOfMakingANewOne() {
        UploadBuffers buffers = new UploadBuffers(16, 2);
        byte[] first = buffers.take();
        buffers.release(first);

        assertThat(buffers.take()).isSameAs(first);
        assertThat(buffers.created()).isEqualTo(1);
    }

    @Test
    void aPoolOfNoBuffersNeverHandsOneOut() {
        UploadBuffers buffers = new UploadBuffers(16, 0);
        buffers.release(null); // what a put that got no buffer gives back

        assertThat(buffers.take()).isNull();
        assertThat(buffers.created()).isZero();
    }

    @Test
    void refusesNonsenseSizes() {
        assertThatThrownBy(() -> new UploadBuffers(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UploadBuffers(16, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
