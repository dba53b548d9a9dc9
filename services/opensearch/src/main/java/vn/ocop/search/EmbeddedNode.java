package vn.ocop.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single OpenSearch node for development and tests, with its modules on the classpath
 * (no distribution tarball exists in the package registries).
 *
 * <p>Usage: {@code java -cp <jar and lib/*> vn.ocop.search.EmbeddedNode HOME PORT}. HTTP is
 * bound to 127.0.0.1:PORT only, data lives under HOME/data. Prints {@code started <url>} once
 * the node answers; stops cleanly on SIGTERM or when standard input closes.
 */
public final class EmbeddedNode extends Node {

  private static final List<Class<? extends Plugin>> PLUGINS =
      List.of(Netty4Plugin.class, CommonAnalysisPlugin.class);

  private EmbeddedNode(Environment environment) {
    super(environment, PLUGINS, true);
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: EmbeddedNode HOME PORT");
      System.exit(2);
    }
    Path home = Paths.get(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    Files.createDirectories(home.resolve("data"));
    Files.createDirectories(home.resolve("logs"));
    Files.createDirectories(home.resolve("config"));
    Settings settings =
        Settings.builder()
            .put("cluster.name", "ocop-dev")
            .put("node.name", "ocop-dev")
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", "19300-19400")
            .put("discovery.type", "single-node")
            // A shared development disk may be nearly full: never turn the index read-only.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.auto_create_index", false)
            .build();
    LogConfigurator.registerErrorListener();
    LogConfigurator.configureWithoutConfig(settings);
    Environment environment =
        InternalSettingsPreparer.prepareEnvironment(
            settings, Collections.emptyMap(), home.resolve("config"), () -> "ocop-dev");
    EmbeddedNode node = new EmbeddedNode(environment);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close();
                    node.awaitClose(10, TimeUnit.SECONDS);
                  } catch (Exception error) {
                    error.printStackTrace();
                  }
                  stopped.countDown();
                }));
    node.start();
    System.out.println("started http://127.0.0.1:" + port);
    System.out.flush();
    // The parent closes our standard input (or dies): stop with it.
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // ignore input
                }
              } catch (Exception ignored) {
                // closed
              }
              System.exit(0);
            });
    watcher.setDaemon(true);
    watcher.start();
    stopped.await();
  }
}
