package io.osprey.query.log;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the log indexer resumes: a document-less Lucene index whose commit user data holds the token
 * every partition is complete up to. It is committed only after every partition changed since the last
 * checkpoint has committed, so replaying from it may find lines a partition already holds (its own
 * commit token says so, and they are skipped) but never misses one.
 */
final class LogCheckpoint implements Closeable {

    private final FSDirectory directory;
    private final IndexWriter writer;
    private final TokenCodec tokens;

    LogCheckpoint(Path path, TokenCodec tokens) throws IOException {
        this.tokens = tokens;
        this.directory = FSDirectory.open(path);
        try {
            this.writer = new IndexWriter(directory, new IndexWriterConfig().setCommitOnClose(false));
        } catch (IOException e) {
            directory.close();
            throw e;
        }
    }

    /** The token to resume from; null to read the event store from its start. */
    TrackingToken token() throws IOException {
        return exists() ? tokens.read(TokenCodec.userData(writer)) : null;
    }

    /** Whether a checkpoint was ever committed. */
    boolean exists() throws IOException {
        return DirectoryReader.indexExists(directory);
    }

    /** The {@link LogAnalyzer#VERSION} the index was built with; null before the first checkpoint, or before versions. */
    String analyzer() throws IOException {
        return exists() ? TokenCodec.analyzer(TokenCodec.userData(writer)) : null;
    }

    void commit(Map<String, String> tokenData) throws IOException {
        writer.setLiveCommitData(tokenData.entrySet(), true);
        writer.commit();
    }

    @Override
    public void close() throws IOException {
        try (directory) {
            writer.rollback();
        }
    }

    /**
     * Tracking tokens as commit user data, written with Axon's serializer, beside the {@link LogAnalyzer#VERSION} the
     * lines committed with them were indexed with.
     */
    static final class TokenCodec {

        private static final String TOKEN = "osprey.token";
        private static final String TYPE = "osprey.tokenType";
        private static final String ANALYZER = "osprey.analyzer";

        private final Serializer serializer;

        TokenCodec(Serializer serializer) {
            this.serializer = serializer;
        }

        Map<String, String> write(TrackingToken token) {
            SerializedObject<byte[]> serialized = serializer.serialize(token, byte[].class);
            return Map.of(TOKEN, new String(serialized.getData(), StandardCharsets.UTF_8),
                    TYPE, serialized.getType().getName(), ANALYZER, LogAnalyzer.VERSION);
        }

        /** The user data of the writer's last commit (as it will write it next, until it is changed). */
        static Map<String, String> userData(IndexWriter writer) {
            Map<String, String> data = new HashMap<>();
            Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
            if (live != null) {
                live.forEach(entry -> data.put(entry.getKey(), entry.getValue()));
            }
            return data;
        }

        /** The analysis commit user data says its lines were indexed with; null when it says none (before versions). */
        static String analyzer(Map<String, String> userData) {
            return userData.get(ANALYZER);
        }

        TrackingToken read(Map<String, String> userData) {
            String token = userData.get(TOKEN);
            String type = userData.get(TYPE);
            if (token == null || type == null) {
                return null;
            }
            return serializer.deserialize(new SimpleSerializedObject<>(token.getBytes(StandardCharsets.UTF_8),
                    byte[].class, type, null));
        }
    }
}
