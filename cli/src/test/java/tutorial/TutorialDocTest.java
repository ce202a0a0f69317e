package tutorial;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every line of Java in docs/tutorial-custom-layer.md is a line of the tutorial's compiled sources. */
class TutorialDocTest {
    @Test
    void everyJavaLineOfTheTutorialIsInItsSources() throws IOException {
        Path doc = Path.of("../docs/tutorial-custom-layer.md");
        Set<String> source = new HashSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/java/tutorial"))) {
            for (Path f : files.toList()) for (String l : Files.readAllLines(f)) source.add(l.strip());
        }
        List<String> missing = new ArrayList<>();
        boolean java = false;
        int blocks = 0;
        for (String line : Files.readAllLines(doc)) {
            if (line.startsWith("```")) {
                java = !java && line.equals("```java");
                if (java) blocks++;
                continue;
            }
            String l = line.strip();
            if (java && !l.isEmpty() && !l.equals("...") && !source.contains(l)) missing.add(l);
        }
        assertTrue(blocks >= 8, "the tutorial has its code blocks: " + blocks);
        assertEquals(List.of(), missing, "lines of the tutorial that are not in cli/src/test/java/tutorial");
    }
}
