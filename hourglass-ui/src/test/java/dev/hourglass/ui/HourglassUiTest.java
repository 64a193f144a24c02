package dev.hourglass.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The UI's HTTP side that needs no server behind it: static files and the refusal of cross-site forms. */
class HourglassUiTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private HourglassUi ui;

  @BeforeEach
  void start() {
    // Nothing listens on port 1: the pages tested here never reach the server.
    ui = HourglassUi.start(new UiOptions("127.0.0.1", 0, "127.0.0.1:1"));
  }

  @AfterEach
  void stop() {
    ui.close();
  }

  @Test
  void servesItsStylesheetAndHtmx() throws Exception {
    assertThat(get("/static/app.css").body()).contains(".badge");
    HttpResponse<String> htmx = get("/static/htmx.min.js");
    assertThat(htmx.statusCode()).isEqualTo(200);
    assertThat(htmx.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(get("/").statusCode()).isEqualTo(303);
    assertThat(get("/").headers().firstValue("Location")).hasValue("/namespaces/default/workflows");
  }

  @Test
  void refusesAFormPostedFromAnotherSite() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ui.url() + "/namespaces/default/workflows/w/r/terminate"))
        .header("Origin", "http://evil.example")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("reason=x"))
        .build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("sent from another site");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(ui.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
