package dev.osprey.collector.scrape.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Incremental framing of one HTTP/1.1 response to a GET, over a growing byte array the caller reads the socket
 * into: status line and headers, then a body delimited by {@code Content-Length}, by chunked transfer coding
 * (decoded in place, so the body ends up contiguous in the array) or by the server closing the connection.
 * Informational (1xx) responses are skipped; 204 and 304 have no body.
 *
 * <p>Use: {@link #space()} / {@link #buffer()} / {@link #written(int)} after each read, {@link #endOfStream()} at EOF,
 * then {@link #status()}, {@link #body()} and {@link #bodyEnd()} once {@link #complete()}. Not thread-safe: one
 * connection's loop thread owns it.
 */
final class ResponseReader {

    /** Status line plus headers may not exceed this many bytes. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_CHUNK_LINE = 1024;

    private enum State { HEADERS, LENGTH_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, EOF_BODY, DONE }

    private final int maxBodyBytes;
    private byte[] buffer;
    private int filled;
    private State state = State.HEADERS;
    private int headerStart;
    private int status;
    private boolean keepAlive;
    private int bodyStart;
    private int bodyEnd;
    private long contentLength;
    private int scan;
    private long chunkRemaining;

    /** @param buffer where bytes are read into; grown (replaced) when full, see {@link #buffer()} */
    ResponseReader(byte[] buffer, int maxBodyBytes) {
        this.buffer = buffer;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The array to read into at {@link #filled()}; may be a new, larger array after {@link #ensureSpace()}. */
    byte[] buffer() {
        return buffer;
    }

    int filled() {
        return filled;
    }

    /**
     * Grows the array if it is full and returns the free space after {@link #filled()}, always at least one byte.
     *
     * @throws ResponseException when the response already fills the largest array it may need
     */
    int ensureSpace() throws ResponseException {
        if (filled == buffer.length) {
            long limit = Math.min(Integer.MAX_VALUE - 16L, (long) maxBodyBytes + MAX_HEADER_BYTES + MAX_CHUNK_LINE);
            if (filled >= limit) {
                throw tooLarge();
            }
            buffer = Arrays.copyOf(buffer, (int) Math.min(limit, Math.max(2L * buffer.length, 1024)));
        }
        return buffer.length - filled;
    }

    /**
     * Accounts for {@code n} new bytes at {@link #filled()} and advances the framing.
     *
     * @throws ResponseException when the response is malformed or its body too large
     */
    void written(int n) throws ResponseException {
        filled += n;
        advance();
    }

    /** The server closed its side: completes a close-delimited body, otherwise the response is cut short. */
    void endOfStream() throws ResponseException {
        if (state == State.EOF_BODY) {
            bodyEnd = filled;
            keepAlive = false;
            state = State.DONE;
        } else if (state != State.DONE) {
            throw new ResponseException(FetchFailure.Kind.CONNECT, filled == 0
                    ? "connection closed by the server before a response"
                    : "connection closed by the server after " + filled + " bytes of the response");
        }
    }

    boolean complete() {
        return state == State.DONE;
    }

    /** Whether any byte of a response arrived. */
    boolean started() {
        return filled > 0;
    }

    int status() {
        return status;
    }

    /** Whether the connection may carry another request once this response is complete. */
    boolean reusable() {
        return state == State.DONE && keepAlive && filled == bodyEnd;
    }

    int body() {
        return bodyStart;
    }

    int bodyEnd() {
        return bodyEnd;
    }

    private void advance() throws ResponseException {
        while (true) {
            switch (state) {
                case HEADERS -> {
                    if (!readHeaders()) {
                        return;
                    }
                }
                case LENGTH_BODY -> {
                    if (filled - bodyStart < contentLength) {
                        return;
                    }
                    bodyEnd = (int) (bodyStart + contentLength);
                    state = State.DONE;
                }
                case EOF_BODY -> {
                    if (filled - bodyStart > maxBodyBytes) {
                        throw tooLarge();
                    }
                    return;
                }
                case CHUNK_SIZE -> {
                    if (!readChunkSize()) {
                        compactChunked();
                        return;
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(chunkRemaining, filled - scan);
                    System.arraycopy(buffer, scan, buffer, bodyEnd, n);
                    bodyEnd += n;
                    scan += n;
                    chunkRemaining -= n;
                    if (chunkRemaining > 0) {
                        compactChunked();
                        return;
                    }
                    state = State.CHUNK_END;
                }
                case CHUNK_END -> {
                    if (scan < filled && buffer[scan] == '\r') {
                        if (scan + 1 < filled && buffer[scan + 1] != '\n') {
                            throw protocol("chunk data not followed by CRLF");
                        }
                        if (scan + 1 >= filled) {
                            compactChunked();
                            return;
                        }
                        scan += 2;
                    } else if (scan < filled && buffer[scan] == '\n') {
                        scan++;
                    } else if (scan < filled) {
                        throw protocol("chunk data not followed by CRLF");
                    } else {
                        compactChunked();
                        return;
                    }
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    int lineEnd = indexOf(buffer, scan, filled, (byte) '\n');
                    if (lineEnd < 0) {
                        if (filled - scan > MAX_HEADER_BYTES) {
                            throw protocol("trailer section too long");
                        }
                        compactChunked();
                        return;
                    }
                    boolean empty = lineEnd == scan || (lineEnd == scan + 1 && buffer[scan] == '\r');
                    scan = lineEnd + 1;
                    if (empty) {
                        compactChunked();
                        state = State.DONE;
                    }
                }
                case DONE -> {
                    return;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** Moves the undecoded tail of a chunked body down to the end of the decoded part. */
    private void compactChunked() {
        if (scan > bodyEnd) {
            int tail = filled - scan;
            System.arraycopy(buffer, scan, buffer, bodyEnd, tail);
            filled = bodyEnd + tail;
            scan = bodyEnd;
        }
    }

    private boolean readHeaders() throws ResponseException {
        int afterHeaders = headerEnd();
        if (afterHeaders < 0) {
            if (filled - headerStart > MAX_HEADER_BYTES) {
                throw protocol("response header section exceeds " + MAX_HEADER_BYTES + " bytes");
            }
            return false;
        }
        String head = new String(buffer, headerStart, afterHeaders - headerStart, StandardCharsets.ISO_8859_1);
        int lineEnd = head.indexOf('\n');
        String statusLine = head.substring(0, lineEnd > 0 && head.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd);
        parseStatusLine(statusLine);
        keepAlive = !statusLine.startsWith("HTTP/1.0");
        contentLength = -1;
        boolean chunked = false;
        for (int start = lineEnd + 1; start < head.length(); start = lineEnd + 1) {
            lineEnd = head.indexOf('\n', start);
            int end = lineEnd > start && head.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
            if (end == start) {
                continue;
            }
            int colon = head.indexOf(':', start);
            if (colon <= start || colon > end) {
                throw protocol("malformed header line '" + abbreviate(head.substring(start, end)) + "'");
            }
            if (isHeader(head, start, colon, "content-length")) {
                contentLength = contentLength(head.substring(colon + 1, end).trim());
            } else if (isHeader(head, start, colon, "transfer-encoding")) {
                chunked = head.substring(colon + 1, end).toLowerCase(Locale.ROOT).contains("chunked");
            } else if (isHeader(head, start, colon, "connection")) {
                String value = head.substring(colon + 1, end).toLowerCase(Locale.ROOT);
                if (value.contains("close")) {
                    keepAlive = false;
                } else if (value.contains("keep-alive")) {
                    keepAlive = true;
                }
            }
        }
        if (status / 100 == 1) {
            headerStart = afterHeaders;
            return true;
        }
        bodyStart = afterHeaders;
        bodyEnd = bodyStart;
        scan = bodyStart;
        if (status == 204 || status == 304) {
            state = State.DONE;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            if (contentLength > maxBodyBytes) {
                throw tooLarge();
            }
            state = State.LENGTH_BODY;
        } else {
            keepAlive = false;
            state = State.EOF_BODY;
        }
        return true;
    }

    /** Index just after the empty line (CRLF or LF) ending the header section; -1 if it has not arrived yet. */
    private int headerEnd() {
        for (int i = headerStart; i < filled; i++) {
            if (buffer[i] == '\n') {
                if (i + 1 < filled && buffer[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < filled && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** Whether the header name {@code head[start, colon)} (blanks around it allowed) is {@code name}, ignoring case. */
    private static boolean isHeader(String head, int start, int colon, String name) {
        while (start < colon && head.charAt(start) == ' ') {
            start++;
        }
        while (colon > start && head.charAt(colon - 1) == ' ') {
            colon--;
        }
        return colon - start == name.length() && head.regionMatches(true, start, name, 0, name.length());
    }

    private void parseStatusLine(String line) throws ResponseException {
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw protocol("not an HTTP/1.x status line: '" + abbreviate(line) + "'");
        }
        int code = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw protocol("bad status code in '" + abbreviate(line) + "'");
            }
            code = code * 10 + (c - '0');
        }
        if (code < 100 || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw protocol("bad status code in '" + abbreviate(line) + "'");
        }
        status = code;
    }

    private long contentLength(String value) throws ResponseException {
        try {
            long length = Long.parseLong(value);
            if (length < 0) {
                throw protocol("negative Content-Length " + value);
            }
            return length;
        } catch (NumberFormatException e) {
            throw protocol("bad Content-Length '" + abbreviate(value) + "'");
        }
    }

    private boolean readChunkSize() throws ResponseException {
        int lineEnd = indexOf(buffer, scan, filled, (byte) '\n');
        if (lineEnd < 0) {
            if (filled - scan > MAX_CHUNK_LINE) {
                throw protocol("chunk size line too long");
            }
            return false;
        }
        long size = 0;
        int digits = 0;
        int p = scan;
        while (p < lineEnd) {
            int digit = Character.digit(buffer[p], 16);
            if (digit < 0) {
                break;
            }
            if (++digits > 8) {
                throw protocol("chunk size too large");
            }
            size = size * 16 + digit;
            p++;
        }
        if (digits == 0 || (p < lineEnd && buffer[p] != ';' && buffer[p] != '\r' && buffer[p] != ' '
                && buffer[p] != '\t')) {
            throw protocol("bad chunk size line");
        }
        scan = lineEnd + 1;
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            if ((long) bodyEnd - bodyStart + size > maxBodyBytes) {
                throw tooLarge();
            }
            chunkRemaining = size;
            state = State.CHUNK_DATA;
        }
        return true;
    }

    private ResponseException tooLarge() {
        return new ResponseException(FetchFailure.Kind.TOO_LARGE, "metrics page exceeds " + maxBodyBytes + " bytes");
    }

    private static ResponseException protocol(String message) {
        return new ResponseException(FetchFailure.Kind.PROTOCOL, "malformed HTTP response: " + message);
    }

    private static String abbreviate(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 60 ? printable : printable.substring(0, 60) + "...";
    }

    private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** Why a response could not be read; carries the failure kind. */
    static final class ResponseException extends Exception {

        private final FetchFailure.Kind kind;

        ResponseException(FetchFailure.Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        FetchFailure failure() {
            return new FetchFailure(kind, getMessage());
        }
    }
}
