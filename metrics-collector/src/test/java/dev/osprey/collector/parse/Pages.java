package dev.osprey.collector.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test fixture pages from {@code src/test/resources/pages}. */
public final class Pages {

    private Pages() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Pages.class.getResourceAsStream("/pages/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture page " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }
}
