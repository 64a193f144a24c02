package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.ui.HourglassUi;
import dev.hourglass.ui.UiOptions;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser (Debian's chromium, driven by Selenium through chromedriver)
 * against a real server, with workflows started and run by the SDK: the list shows them, a filter
 * narrows them, a workflow page shows its history and a pending activity, and the signal and
 * terminate buttons work. Screenshots of each page land in {@code target/ui-screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class WebUiIT {
  private static final String TASK_QUEUE = "orders";
  private static final Path CHROMIUM = Path.of(System.getProperty("hourglass.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getProperty("hourglass.chromedriver", "/usr/bin/chromedriver"));
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;
  private HourglassUi ui;
  private WebDriver browser;

  @WorkflowInterface
  public interface OrderWorkflow {
    @WorkflowMethod
    String process(String orderId);

    @SignalMethod
    void approve(String approver);
  }

  @WorkflowInterface
  public interface ReportWorkflow {
    @WorkflowMethod
    String report(int month);
  }

  @ActivityInterface
  public interface OrderActivities {
    String reserve(String orderId);

    /** Always fails: the warehouse is down, so the activity stays pending, retrying. */
    void ship(String orderId);
  }

  public static class OrderWorkflowImpl implements OrderWorkflow {
    private final OrderActivities activities = Workflow.newActivityStub(OrderActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(1).build())
        .build());
    private String approver;

    @Override
    public String process(String orderId) {
      String reservation = activities.reserve(orderId);
      Async.procedure(activities::ship, orderId);
      Workflow.await(() -> approver != null);
      return reservation + ", approved by " + approver;
    }

    @Override
    public void approve(String approver) {
      this.approver = approver;
    }
  }

  public static class ReportWorkflowImpl implements ReportWorkflow {
    @Override
    public String report(int month) {
      return "report for month " + month;
    }
  }

  public static class OrderActivitiesImpl implements OrderActivities {
    @Override
    public String reserve(String orderId) {
      return "reserved " + orderId;
    }

    @Override
    public void ship(String orderId) {
      throw new IllegalStateException("warehouse unreachable");
    }
  }

  @BeforeAll
  void start() {
    // The ship activity fails on purpose, every second: keep its stack traces out of the build log.
    activityExecutorLogger().setLevel(ch.qos.logback.classic.Level.ERROR);
    assertThat(CHROMIUM).as("chromium (apt-get install chromium chromium-driver)").isExecutable();
    assertThat(CHROMEDRIVER).as("chromedriver (apt-get install chromium-driver)").isExecutable();
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class, ReportWorkflowImpl.class);
      worker.registerActivitiesImplementations(new OrderActivitiesImpl());
    });
    ui = HourglassUi.start(new UiOptions("127.0.0.1", 0, server.target()));

    WorkflowClient client = sdk.client();
    for (String orderId : List.of("order-1", "order-2")) {
      WorkflowClient.start(client.newWorkflowStub(OrderWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(orderId).build())::process, orderId);
    }
    ReportWorkflow report = client.newWorkflowStub(ReportWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("report-11").build());
    assertThat(report.report(11)).isEqualTo("report for month 11");

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1500");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (ui != null) {
      ui.close();
    }
    if (sdk != null) {
      sdk.close();
    }
    if (server != null) {
      server.close();
    }
    activityExecutorLogger().setLevel(null);
  }

  private static ch.qos.logback.classic.Logger activityExecutorLogger() {
    return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.temporal.internal.activity");
  }

  @Test
  @Order(1)
  void listShowsTheWorkflowsAndAFilterNarrowsThem() {
    browser.get(ui.url());
    waitForText(By.id("workflows"), "order-1");
    assertThat(rows()).contains("order-1", "order-2", "report-11");
    assertThat(browser.findElement(By.id("counts")).getText()).contains("2 Running", "1 Completed");
    screenshot("workflows");

    WebElement query = browser.findElement(By.id("query"));
    query.sendKeys("WorkflowType = 'ReportWorkflow'");
    browser.findElement(By.id("search-button")).click();
    new WebDriverWait(browser, WAIT).until(driver -> rows().equals(List.of("report-11")));
    assertThat(browser.getCurrentUrl()).contains("query=WorkflowType");
    screenshot("workflows-filtered");
  }

  @Test
  @Order(2)
  void workflowPageShowsHistoryAndThePendingActivity() {
    browser.get(ui.url());
    browser.findElement(By.linkText("order-1")).click();
    waitForText(By.id("history"), "Activity Reserve");
    assertThat(browser.findElement(By.id("workflow-status")).getText()).isEqualTo("Running");
    assertThat(browser.findElement(By.id("input")).getText()).isEqualTo("\"order-1\"");
    assertThat(browser.findElement(By.id("history")).getText()).contains("Workflow started", "result: \"reserved order-1\"");
    // The ship activity keeps failing: the page shows it pending, with its attempt and last failure.
    // It retries every second, so a page may catch an attempt running ("started"): wait for a page
    // that shows it between attempts.
    new WebDriverWait(browser, WAIT).until(driver -> {
      driver.navigate().refresh();
      List<WebElement> pending = driver.findElements(By.id("pending-activities"));
      return !pending.isEmpty() && pending.get(0).getText().contains("warehouse unreachable")
          && pending.get(0).getText().contains("waiting to retry");
    });
    assertThat(browser.findElement(By.id("pending-activities")).getText()).contains("Ship");
    assertThat(browser.findElement(By.id("workers")).getText()).contains("workflows", "activities");
    assertThat(browser.findElement(By.id("history")).getText()).contains("Activity Ship", "Retrying, attempt");
    screenshot("workflow-running");
  }

  @Test
  @Order(3)
  void signalButtonSendsTheSignalAndThePageShowsTheResult() {
    browser.get(ui.url() + "/namespaces/default/workflows/order-1");
    browser.findElement(By.cssSelector("#action-signal summary")).click();
    // The page asked the workflow which signals it declares.
    assertThat(browser.findElement(By.id("signal-names-hint")).getText()).contains("approve");
    browser.findElement(By.cssSelector("#action-signal input[name=name]")).sendKeys("approve");
    browser.findElement(By.cssSelector("#action-signal textarea[name=input]")).sendKeys("\"alice\"");
    browser.findElement(By.cssSelector("#action-signal button")).click();
    acceptConfirmation();
    waitForText(By.id("outcome"), "Signal approve sent");
    // No reload by the test: the page refreshes itself while the run is open, and reloads once it closed.
    waitForText(By.id("workflow-status"), "Completed");
    assertThat(browser.findElement(By.id("result")).getText()).isEqualTo("\"reserved order-1, approved by alice\"");
    assertThat(browser.findElement(By.id("history")).getText()).contains("Signal received: approve", "Workflow completed");
    // A timeline row unfolds to its events, payloads decoded as JSON.
    WebElement reserve = browser.findElement(By.xpath("//tr[contains(@class, 'timeline-row')][.//strong[text()='Activity Reserve']]"));
    reserve.findElement(By.tagName("summary")).click();
    assertThat(reserve.getText()).contains("ActivityTaskScheduled", "ActivityTaskStarted", "ActivityTaskCompleted",
        "\"result\" : \"reserved order-1\"");
    screenshot("workflow-completed");
  }

  @Test
  @Order(4)
  void terminateButtonTerminatesTheWorkflow() {
    browser.get(ui.url() + "/namespaces/default/workflows/order-2");
    browser.findElement(By.cssSelector("#action-terminate summary")).click();
    browser.findElement(By.cssSelector("#action-terminate input[name=reason]")).sendKeys("customer called");
    browser.findElement(By.cssSelector("#action-terminate button")).click();
    acceptConfirmation();
    waitForText(By.id("outcome"), "Workflow terminated");
    assertThat(browser.findElement(By.id("workflow-status")).getText()).isEqualTo("Terminated");
    assertThat(browser.findElement(By.id("failure")).getText()).contains("customer called");
    screenshot("workflow-terminated");

    browser.get(ui.url() + "/namespaces/default/workflows?status=Terminated");
    new WebDriverWait(browser, WAIT).until(driver -> rows().equals(List.of("order-2")));
  }

  @Test
  @Order(5)
  void schedulePageShowsTheSpecInWordsAndPauses() {
    ScheduleClient schedules = ScheduleClient.newInstance(sdk.service());
    schedules.createSchedule("nightly-report", Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(ReportWorkflow.class)
            .setArguments(12)
            .setOptions(WorkflowOptions.newBuilder().setWorkflowId("nightly-report").setTaskQueue(TASK_QUEUE).build())
            .build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("0 2 * * *")).build())
        .build(), ScheduleOptions.newBuilder().build());

    browser.get(ui.url() + "/namespaces/default/schedules");
    browser.findElement(By.linkText("nightly-report")).click();
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("at 02:00 every day", "ReportWorkflow", "Active");
    browser.findElement(By.xpath("//button[text()='Pause']")).click();
    acceptConfirmation();
    waitForText(By.id("outcome"), "Schedule paused");
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains("Paused");
    screenshot("schedule-paused");
  }

  private List<String> rows() {
    return browser.findElements(By.cssSelector("#workflows tr.workflow-row")).stream()
        .map(row -> row.getAttribute("data-workflow-id"))
        .toList();
  }

  private void waitForText(By locator, String text) {
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
  }

  private void acceptConfirmation() {
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.alertIsPresent()).accept();
  }

  private void screenshot(String name) {
    try {
      Path directory = Path.of("target", "ui-screenshots");
      Files.createDirectories(directory);
      File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
      Files.copy(file.toPath(), directory.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
