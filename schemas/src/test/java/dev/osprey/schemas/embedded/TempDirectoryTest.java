package dev.osprey.schemas.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempDirectoryTest {

    @Test
    void closeDeletesTheDirectoryWithNestedContent() throws Exception {
        TempDirectory dir = TempDirectory.create("osprey-test");
        Path nested = Files.createDirectories(dir.path().resolve("a/b"));
        Files.writeString(nested.resolve("store.sst"), "state");
        Files.writeString(dir.path().resolve(".lock"), "");

        dir.close();

        assertThat(dir.path()).doesNotExist();
        assertThat(dir.path().getFileName().toString()).startsWith("osprey-test");
    }

    @Test
    void deletingATreeThatIsAlreadyGoneIsNotAnError(@TempDir Path parent) {
        assertThatCode(() -> TempDirectory.deleteTree(parent.resolve("never-created"))).doesNotThrowAnyException();
    }
}
