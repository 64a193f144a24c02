package dev.hourglass.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps docs/compatibility.md honest: every RPC listed, and "done"/"partial" exactly where implemented. */
class ServerCompatibilityDocTest {
  private static final Pattern ROW = Pattern.compile("^\\| (\\w+) \\| (done|partial|not yet) \\|", Pattern.MULTILINE);

  @Test
  void compatibilityDocListsEveryRpcWithItsRealState() throws IOException {
    Set<String> allRpcs = Arrays.stream(WorkflowServiceGrpc.WorkflowServiceImplBase.class.getMethods())
        .filter(method -> method.getDeclaringClass() != Object.class && Modifier.isPublic(method.getModifiers())
            && method.getParameterCount() == 2 && method.getReturnType() == void.class)
        .map(ServerCompatibilityDocTest::rpcName)
        .collect(Collectors.toCollection(TreeSet::new));
    // SystemInfoService answers the two RPCs every process serves locally, standbys included.
    Set<String> implemented = Stream.of(WorkflowService.class, SystemInfoService.class)
        .flatMap(service -> Arrays.stream(service.getDeclaredMethods()))
        .filter(method -> Modifier.isPublic(method.getModifiers()) && allRpcs.contains(rpcName(method)))
        .map(ServerCompatibilityDocTest::rpcName)
        .collect(Collectors.toCollection(TreeSet::new));

    Map<String, String> documented = new HashMap<>();
    Matcher row = ROW.matcher(Files.readString(docs().resolve("compatibility.md")));
    while (row.find()) {
      documented.put(row.group(1), row.group(2));
    }

    assertThat(documented.keySet()).as("RPCs in docs/compatibility.md").containsAll(allRpcs);
    Set<String> claimed = documented.entrySet().stream().filter(entry -> !entry.getValue().equals("not yet"))
        .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    assertThat(claimed).as("RPCs documented as done or partial").isEqualTo(implemented);
  }

  private static String rpcName(Method method) {
    return Character.toUpperCase(method.getName().charAt(0)) + method.getName().substring(1);
  }

  private static Path docs() {
    Path directory = Path.of("").toAbsolutePath();
    while (directory != null && !Files.isDirectory(directory.resolve("docs"))) {
      directory = directory.getParent();
    }
    return directory.resolve("docs");
  }
}
