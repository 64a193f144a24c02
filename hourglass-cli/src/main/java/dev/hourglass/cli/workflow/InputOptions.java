package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.InvalidSettingsException;
import dev.hourglass.cli.client.Payloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --input}/{@code --input-file}: the arguments passed to a workflow, signal, query or
 * update, each one JSON value, in the order given ({@code --input} values first).
 */
final class InputOptions {
  @Option(names = {"-i", "--input"}, paramLabel = "JSON",
      description = "An argument as JSON, e.g. '\"text\"', 42 or '{\"a\": 1}'. Repeat for several arguments.")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--input-file", paramLabel = "FILE",
      description = "A file holding one argument as JSON. Repeat for several arguments.")
  List<Path> inputFiles = new ArrayList<>();

  boolean isEmpty() {
    return inputs.isEmpty() && inputFiles.isEmpty();
  }

  io.temporal.api.common.v1.Payloads payloads() {
    List<String> values = new ArrayList<>(inputs);
    io.temporal.api.common.v1.Payloads.Builder payloads = Payloads.encodeAll(values, "--input").toBuilder();
    for (Path file : inputFiles) {
      payloads.addPayloads(Payloads.encode(read(file), "--input-file " + file));
    }
    return payloads.build();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new InvalidSettingsException("Invalid --input-file: cannot read " + file + " (" + e + ")", e);
    }
  }
}
