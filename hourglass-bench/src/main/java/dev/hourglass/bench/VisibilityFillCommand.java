package dev.hourglass.bench;

import com.google.protobuf.ByteString;
import dev.hourglass.common.NamespaceNotFoundException;
import dev.hourglass.engine.namespace.Namespace;
import dev.hourglass.engine.namespace.NamespaceRegistry;
import dev.hourglass.engine.visibility.SearchAttributeRegistry;
import dev.hourglass.engine.visibility.VisibilityService;
import dev.hourglass.store.Database;
import dev.hourglass.store.StoreConfig;
import dev.hourglass.store.VisibilityQuery;
import dev.hourglass.store.VisibilityRecord;
import dev.hourglass.store.VisibilityStore;
import dev.hourglass.store.sql.SqlStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench visibility-fill}: writes the runs of {@link VisibilityDataSet} into a store that no
 * server has open, then prints the database's plan for every query {@code bench visibility}
 * measures and flags full scans.
 *
 * <p>Runs are written as visibility rows only ({@link VisibilityStore#load}, the same statements
 * the server's own writes use, 5,000 runs per transaction through the store's writer), without
 * executions or histories: List and Count read nothing else, and a million real workflows would
 * take hours to run on this machine. A listed run therefore cannot be described. Plans are those
 * of the SQL the server issues: queries are compiled by the engine's {@link VisibilityService}
 * over a store that records what it is asked.
 */
@Command(
    name = "visibility-fill",
    description = "Fill a store (no server running on it) with closed runs for `bench visibility`; print query plans.",
    sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:Filled; every plan uses an index.", "1:Some plan scans the whole table.", "2:Invalid command line."})
final class VisibilityFillCommand implements Callable<Integer> {
  private static final int BATCH = 5_000;

  @Spec
  private CommandSpec spec;

  @ArgGroup(multiplicity = "1")
  private StoreChoice store;

  static final class StoreChoice {
    @Option(names = "--db-filename", paramLabel = "FILE", description = "SQLite file (created when missing).")
    Path file;

    @Option(names = "--db-url", paramLabel = "URL", description = "PostgreSQL database: postgresql://USER@HOST:PORT/DB.")
    String url;

    StoreConfig config() {
      return file != null ? new StoreConfig.Sqlite(file) : StoreConfig.Postgres.fromUrl(url, Optional.empty(), Optional.empty());
    }
  }

  @Option(names = "--runs", paramLabel = "N", defaultValue = "1000000", description = "Closed runs (default: ${DEFAULT-VALUE}).")
  private int runs;

  @Option(names = "--open-runs", paramLabel = "N", defaultValue = "1000", description = "Open runs besides (default: ${DEFAULT-VALUE}).")
  private int openRuns;

  @Option(names = "--deep-page", paramLabel = "K", defaultValue = "100",
      description = "The deep page whose plan is shown, as `bench visibility` measures it (default: ${DEFAULT-VALUE}).")
  private int deepPage;

  @Option(names = "--page-size", paramLabel = "N", defaultValue = "100", description = "Runs per page (default: ${DEFAULT-VALUE}).")
  private int pageSize;

  @Option(names = "--skip-fill", description = "Only print the plans of a store filled before.")
  private boolean skipFill;

  @Override
  public Integer call() {
    VisibilityDataSet data = new VisibilityDataSet(runs, openRuns);
    PrintWriter out = spec.commandLine().getOut();
    try (Database database = SqlStores.open(store.config())) {
      Namespace namespace = namespace(new NamespaceRegistry(database.stores().namespaces()));
      VisibilityStore visibility = database.stores().visibility();
      if (!skipFill) {
        fill(out, data, namespace.id(), visibility);
      }
      return printPlans(out, data, namespace.id(), visibility) ? 0 : 1;
    }
  }

  private static Namespace namespace(NamespaceRegistry namespaces) {
    try {
      return namespaces.byName(VisibilityDataSet.NAMESPACE);
    } catch (NamespaceNotFoundException e) {
      return namespaces.register(VisibilityDataSet.NAMESPACE, "runs of the visibility benchmark", "", VisibilityDataSet.RETENTION, Map.of());
    }
  }

  private static void fill(PrintWriter out, VisibilityDataSet data, String namespaceId, VisibilityStore visibility) {
    long started = System.nanoTime();
    List<VisibilityRecord> batch = new ArrayList<>(BATCH);
    for (int index = 0; index < data.total(); index++) {
      batch.add(data.run(namespaceId, index));
      if (batch.size() == BATCH || index == data.total() - 1) {
        visibility.load(batch);
        batch.clear();
      }
      if ((index + 1) % 100_000 == 0) {
        out.printf("  %,d runs written (%.0f s)%n", index + 1, (System.nanoTime() - started) / 1e9);
        out.flush();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf(Locale.ROOT, "filled %,d closed and %,d open runs in %.0f s (%.0f runs/s)%n", data.closedRuns(), data.openRuns(), seconds,
        data.total() / seconds);
    out.flush();
  }

  /** True when no plan reads the whole table. */
  private boolean printPlans(PrintWriter out, VisibilityDataSet data, String namespaceId, VisibilityStore visibility) {
    QueryRecorder recorder = new QueryRecorder(visibility);
    VisibilityService service = new VisibilityService(recorder, new SearchAttributeRegistry(visibility));
    boolean indexed = true;
    for (VisibilityCase query : data.cases(deepPage)) {
      recorder.clear();
      if (query.count()) {
        service.count(namespaceId, query.query());
      } else {
        ByteString token = ByteString.EMPTY;
        for (int page = 1; page < query.page(); page++) {
          token = service.list(namespaceId, query.query(), pageSize, token).nextPageToken();
        }
        recorder.clear();
        service.list(namespaceId, query.query(), pageSize, token);
      }
      List<String> plan = recorder.plan();
      boolean scans = plan.stream().anyMatch(VisibilityFillCommand::fullScan);
      indexed &= !scans;
      out.printf("%s%s: %s%n", scans ? "FULL SCAN " : "", query.name(), query.query().isEmpty() ? "(everything)" : query.query());
      plan.forEach(step -> out.printf("    %s%n", step));
    }
    out.flush();
    return indexed;
  }

  /**
   * A step reading every row of a table: SQLite's {@code SCAN v} without an index, PostgreSQL's
   * {@code Seq Scan}. Walking an index in list order ({@code SCAN v USING INDEX}) stops at the page.
   */
  static boolean fullScan(String step) {
    String trimmed = step.trim();
    return trimmed.contains("Seq Scan") || (trimmed.startsWith("SCAN ") && !trimmed.contains(" USING "));
  }

  /** Passes reads through and keeps the plan of the last one. */
  private static final class QueryRecorder implements VisibilityStore {
    private final VisibilityStore delegate;
    private List<String> plan = List.of();

    QueryRecorder(VisibilityStore delegate) {
      this.delegate = delegate;
    }

    void clear() {
      plan = List.of();
    }

    List<String> plan() {
      return plan;
    }

    @Override
    public List<VisibilityRecord> list(VisibilityQuery query, int limit) {
      plan = delegate.explain(query, false, limit);
      return delegate.list(query, limit);
    }

    @Override
    public long count(VisibilityQuery query) {
      plan = delegate.explain(query, true, 0);
      return delegate.count(query);
    }

    @Override
    public Map<Integer, Long> countByStatus(VisibilityQuery query) {
      plan = delegate.explain(query, true, 0);
      return delegate.countByStatus(query);
    }

    @Override
    public void load(List<VisibilityRecord> records) {
      delegate.load(records);
    }

    @Override
    public List<String> explain(VisibilityQuery query, boolean count, int limit) {
      return delegate.explain(query, count, limit);
    }

    @Override
    public Map<String, Integer> searchAttributes(String namespaceId) {
      return delegate.searchAttributes(namespaceId);
    }

    @Override
    public void addSearchAttributes(String namespaceId, Map<String, Integer> attributes) {
      delegate.addSearchAttributes(namespaceId, attributes);
    }

    @Override
    public void removeSearchAttributes(String namespaceId, Set<String> names) {
      delegate.removeSearchAttributes(namespaceId, names);
    }
  }
}
