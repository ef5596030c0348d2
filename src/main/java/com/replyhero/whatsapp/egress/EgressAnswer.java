package com.replyhero.whatsapp.egress;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;

/** An answer; close it (the deadline keeps running until then). */
public final class EgressAnswer implements Closeable {
    private final ClassicHttpResponse response;
    private final ScheduledFuture<?> deadline;
    private final URI uri;

    EgressAnswer(ClassicHttpResponse response, ScheduledFuture<?> deadline, URI uri) {
        this.response = response;
        this.deadline = deadline;
        this.uri = uri;
    }

    public int status() {
        return response.getCode();
    }

    /** The URL that answered (after redirects). */
    public URI uri() {
        return uri;
    }

    public Optional<String> header(String name) {
        Header header = response.getFirstHeader(name);
        return Optional.ofNullable(header).map(Header::getValue);
    }

    /** The body, cut off with an IOException past {@code maxBytes}. */
    public InputStream body(long maxBytes) throws IOException {
        InputStream in = response.getEntity() == null
                ? InputStream.nullInputStream()
                : response.getEntity().getContent();
        return new CappedStream(in, maxBytes);
    }

    @Override
    public void close() {
        deadline.cancel(false);
        try {
            response.close();
        } catch (IOException ignored) {
            // the connection is discarded
        }
    }
}
