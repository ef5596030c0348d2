package com.replyhero.whatsapp.messages.send;

import com.replyhero.whatsapp.cloudapi.MediaKind;
import com.replyhero.whatsapp.media.MediaFile;
import com.replyhero.whatsapp.media.MediaSettings;
import com.replyhero.whatsapp.media.MediaSpool;
import com.replyhero.whatsapp.media.MediaUploader;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.LimitSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import tools.jackson.core.Base64Variant;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a send request in bounded memory: the JSON is parsed as a stream, and the base64 of
 * {@code message.<image|document|video>.file.data} is decoded straight into a spooled file (capped at
 * Meta's limit for the kind), never held as a string. A body longer than {@code rh.media.max-send-body}
 * is refused with 413 from its Content-Length, before it is read. Everything else (the fields that are held in
 * memory as a tree) may be at most {@code rh.limits.send-fields} (256 KB), counted as the bytes arrive: 413
 * before more is read.
 */
@Component
class SendRequestReader {

    /** The request, and the spooled bytes of its file when it has one (deleted on close). */
    record Read(SendMessageRequest request, MediaFile attachment) implements AutoCloseable {
        @Override
        public void close() {
            if (attachment != null) {
                attachment.close();
            }
        }
    }

    private static final Base64Variant BASE64 = Base64Variants.MIME_NO_LINEFEEDS.withPaddingAllowed();

    /** Every other string of a send is short (a caption is at most 1024 characters): no large string in memory. */
    static final int MAX_STRING = 1024 * 1024;

    private final JsonMapper json;
    private final JsonMapper streaming;
    private final MediaSpool spool;
    private final long maxBody;
    private final long maxFields;

    SendRequestReader(JsonMapper json, MediaSpool spool, MediaSettings media, LimitSettings limits) {
        DataSize maxBody = media.maxSendBody();
        DataSize maxFields = limits.sendFields();
        this.json = json;
        // file.data is decoded as a stream (readBinaryValue), which this limit on whole strings does not touch
        this.streaming = JsonMapper.builder(((JsonFactory) json.tokenStreamFactory())
                        .rebuild()
                        .streamReadConstraints(StreamReadConstraints.builder()
                                .maxStringLength(MAX_STRING)
                                .build())
                        .build())
                .build();
        this.spool = spool;
        this.maxBody = maxBody.toBytes();
        this.maxFields = maxFields.toBytes();
    }

    Read read(HttpServletRequest http) {
        long length = http.getContentLengthLong();
        if (length > maxBody) {
            throw bodyTooLarge();
        }
        List<MediaFile> files = new ArrayList<>();
        LimitedInputStream in;
        try {
            in = new LimitedInputStream(http.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (JsonParser parser = streaming.createParser(in)) {
            if (parser.nextToken() == null) {
                throw new HttpMessageNotReadableException("empty body", null, new ServletServerHttpRequest(http));
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST, "invalid_request", "the request body must be a JSON object", null);
            }
            JsonNode tree = value(parser, 0, null, files, in);
            SendMessageRequest request = json.treeToValue(tree, SendMessageRequest.class);
            return new Read(request, files.isEmpty() ? null : files.getFirst());
        } catch (ApiException e) {
            files.forEach(MediaFile::close);
            if (e.status() == HttpStatus.PAYLOAD_TOO_LARGE
                    && (e.code().equals("media_too_large") || in.fieldsRefused)) {
                // answer 413 to a client that is still sending: read (and drop) the rest, within the body limit
                in.dropping = true;
                drain(in);
            }
            throw e;
        } catch (JacksonException e) {
            files.forEach(MediaFile::close);
            throw new HttpMessageNotReadableException(e.getMessage(), e, new ServletServerHttpRequest(http));
        } catch (RuntimeException e) {
            files.forEach(MediaFile::close);
            throw e;
        }
    }

    /**
     * The value at the parser's current token. Only along {@code message.<kind>.file.data} is the JSON
     * walked by hand; everything else is read as a tree.
     */
    private JsonNode value(JsonParser parser, int depth, String kind, List<MediaFile> files, LimitedInputStream in) {
        if (parser.currentToken() != JsonToken.START_OBJECT || depth > 3) {
            return parser.readValueAsTree();
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            JsonNode child;
            if (depth == 0 && name.equals("message")) {
                child = value(parser, 1, null, files, in);
            } else if (depth == 1 && MediaKind.ofMessageType(name).isPresent()) {
                child = value(parser, 2, name, files, in);
            } else if (depth == 2 && name.equals("file")) {
                child = value(parser, 3, kind, files, in);
            } else if (depth == 3 && name.equals("data") && parser.currentToken() == JsonToken.VALUE_STRING) {
                if (!files.isEmpty()) {
                    throw ApiException.invalid("message", "a message carries one file");
                }
                MediaFile file;
                in.inFile = true;
                try {
                    file = decode(parser, kind);
                } finally {
                    in.inFile = false;
                }
                files.add(file);
                child = JsonNodeFactory.instance.stringNode(
                        "(" + file.size() + " bytes, sha256 " + file.sha256() + ")");
            } else {
                child = parser.readValueAsTree();
            }
            object.set(name, child);
        }
        return object;
    }

    private MediaFile decode(JsonParser parser, String kindName) {
        MediaKind kind = MediaKind.ofMessageType(kindName).orElseThrow();
        String field = "message." + kindName + ".file.data";
        try {
            return spool.write(kind.maxBytes(), field, MediaUploader.tooLargeMessage(kind, -1), out -> {
                parser.readBinaryValue(BASE64, out);
            });
        } catch (JacksonException e) {
            String reason = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (reason.toLowerCase(Locale.ROOT).contains("base64")) {
                throw ApiException.invalid(field, field + " must be the file's bytes in base64");
            }
            throw e;
        }
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException ignored) {
            // the connection is closed after the answer anyway
        }
    }

    private ApiException bodyTooLarge() {
        return new ApiException(
                HttpStatus.PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the request body is larger than " + (maxBody / (1024 * 1024))
                        + " MB; the largest file a message can carry is a 100 MB document (Meta's limit), about"
                        + " 134 MB in base64",
                null);
    }

    private ApiException fieldsTooLarge() {
        return new ApiException(
                HttpStatus.PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "everything in a send but the file's base64 (message.<type>.file.data) may be at most "
                        + (maxFields / 1024) + " KB (a caption is at most 1,024 characters)",
                null);
    }

    /**
     * Refuses with 413 once more than {@code rh.media.max-send-body} bytes arrive (for bodies without a
     * Content-Length), or more than {@code rh.limits.send-fields} outside the file's base64 (the parser reads
     * ahead, so the split is exact to within its buffer of a few KB).
     */
    private final class LimitedInputStream extends FilterInputStream {
        private long count;
        private long outsideFile;
        /** While the file's base64 is decoded (to disk): those bytes are not held in memory. */
        boolean inFile;
        /** The rest of a refused body, read and dropped: only the body limit counts. */
        boolean dropping;
        /** Refused for more than {@code rh.limits.send-fields} outside the file. */
        boolean fieldsRefused;

        LimitedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the parser closes its source; the request's stream stays open so that a refused body can be drained
            // (the container closes it after the answer)
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                grow(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                grow(n);
            }
            return n;
        }

        private void grow(long n) {
            count += n;
            if (count > maxBody) {
                throw bodyTooLarge();
            }
            if (!inFile && !dropping) {
                outsideFile += n;
                if (outsideFile > maxFields) {
                    fieldsRefused = true;
                    throw fieldsTooLarge();
                }
            }
        }
    }
}
