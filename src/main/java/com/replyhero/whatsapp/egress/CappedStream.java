package com.replyhero.whatsapp.egress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An answer's body that fails with {@link TooLarge} once more than {@code max} bytes are read. */
final class CappedStream extends FilterInputStream {
    private final long max;
    private long read;

    CappedStream(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0 && ++read > max) {
            throw new TooLarge(max);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0 && (read += n) > max) {
            throw new TooLarge(max);
        }
        return n;
    }

    /** Thrown when more than the cap is read. */
    static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("the answer is larger than " + max + " bytes");
        }
    }
}
