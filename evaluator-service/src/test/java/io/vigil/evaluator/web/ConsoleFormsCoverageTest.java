package io.vigil.evaluator.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every console resource that takes a post is under the CSRF check: the check is name-bound ({@link ConsoleForms}),
 * so a page class without the annotation would take forms from any site.
 */
class ConsoleFormsCoverageTest {

    @Test
    void everyWebResourceWithAPostCarriesConsoleForms() throws IOException, URISyntaxException, ClassNotFoundException {
        java.nio.file.Path root = Paths.get(ConsoleForms.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        java.nio.file.Path web = root.resolve("io/vigil/evaluator/web");
        List<String> posting = new ArrayList<>();
        List<String> unguarded = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(web)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                if (type.isInterface() || !type.isAnnotationPresent(Path.class)) {
                    continue; // REST client interfaces (PingApi) post elsewhere
                }
                if (Arrays.stream(type.getDeclaredMethods()).anyMatch(m -> m.isAnnotationPresent(POST.class))) {
                    posting.add(type.getSimpleName());
                    if (!type.isAnnotationPresent(ConsoleForms.class)) {
                        unguarded.add(type.getName());
                    }
                }
            }
        }
        assertThat(posting).contains("SignInPage", "MonitorsPage", "MonitorPage");
        assertThat(unguarded).as("console resources taking posts without @ConsoleForms").isEmpty();
    }
}
