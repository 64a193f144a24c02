package dev.hourglass.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench visibility-fill} on a small SQLite store: the runs are written, and every query the
 * visibility benchmark measures is planned through an index, never a scan of the table. The plans
 * come from the statistics the migration pins, so they are the plans of a large store too.
 */
class VisibilityFillCommandTest {
  @TempDir
  Path directory;

  @Test
  void fillsAndEveryMeasuredQueryUsesAnIndex() {
    StringWriter out = new StringWriter();
    CommandLine command = Bench.commandLine();
    command.setOut(new PrintWriter(out, true));
    int exitCode = command.execute("visibility-fill", "--db-filename", directory.resolve("fill.db").toString(),
        "--runs", "3000", "--open-runs", "30", "--deep-page", "3");

    assertThat(exitCode).as(out.toString()).isZero();
    assertThat(out.toString()).contains("filled 3,000 closed and 30 open runs").doesNotContain("FULL SCAN")
        .containsPattern("workflow id prefix: .*\\n\\s+SEARCH v USING INDEX visibility_by_workflow_id")
        .containsPattern("status Failed: .*\\n\\s+SEARCH v USING INDEX visibility_by_status");
  }

  @Test
  void tableScansAreTold() {
    assertThat(VisibilityFillCommand.fullScan("SCAN v")).isTrue();
    assertThat(VisibilityFillCommand.fullScan("  ->  Seq Scan on visibility v  (cost=0.00..1.00 rows=1 width=8)")).isTrue();
    assertThat(VisibilityFillCommand.fullScan("SCAN v USING INDEX visibility_by_order")).isFalse();
    assertThat(VisibilityFillCommand.fullScan("SEARCH v USING INDEX visibility_by_status (namespace_id=? AND status=?)")).isFalse();
  }
}
