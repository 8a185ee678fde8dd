package org.videoforge.job.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * A Flink standalone session cluster made of real processes, started the way {@code jobmanager.sh}
 * and {@code taskmanager.sh} start them: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and N TaskManagers ({@code TaskManagerRunner}), each
 * its own JVM with {@code --configDir} pointing at a copy of the repository's {@code flink-conf/}
 * whose ports (free ones) and directories (under the work dir) are overridden. As the scripts do, JVM
 * memory flags come from {@code BashJavaUtils GET_JM_RESOURCE_PARAMS / GET_TM_RESOURCE_PARAMS} and
 * JVM options from {@code env.java.opts.*}. The processes' classpath is only what the cluster
 * provides ({@link BuildPaths#flinkClusterClasspath()}): the job jar arrives with the submission.
 *
 * <pre>{@code
 * try (FlinkStandaloneCluster flink = FlinkStandaloneCluster.start(2)) {   // 1 JM + 2 TMs, registered
 *     FlinkRun run = flink.submitVideoForge("-i", in, "-o", out, "--no-progress");  // flink run -c ... jar ...
 *     String job = run.awaitJobId(Duration.ofSeconds(60));
 *     flink.awaitAllTasksRunning(job, Duration.ofSeconds(60));
 *     flink.killTaskManager(flink.taskManagersOf(job).get(0));             // kill -9
 *     flink.startTaskManager();                                            // a replacement
 *     assertEquals(0, run.awaitExit(Duration.ofMinutes(2)));              // the CLI's exit code
 * }                                                                       // every process killed
 * }</pre>
 *
 * <p>TaskManager {@code i} has resource id {@code tm-i} (what the REST API shows as taskmanager
 * id). Logs: {@code <workDir>/log/}. Set {@code -Dvideoforge.cluster.keep=true} to keep the work
 * directory after close.
 */
public final class FlinkStandaloneCluster implements AutoCloseable {
    public static final String ENTRYPOINT = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    public static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    public static final String CLI_FRONTEND = "org.apache.flink.client.cli.CliFrontend";
    public static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    public static final String VIDEOFORGE_MAIN = "org.videoforge.job.VideoForge";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    private final Path workDir;
    private final boolean ownsDir;
    private final Path confDir;
    private final Path logDir;
    private final Configuration config;
    private final int restPort;
    private final List<Path> classpath;
    private final Duration startupTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<ChildJvm> taskManagers = new CopyOnWriteArrayList<>();
    private final List<FlinkRun> clients = new CopyOnWriteArrayList<>();
    private final Map<String, List<Path>> plugins;
    private List<String> tmJvmParams = List.of();
    private List<String> tmDynamicConfigs = List.of();
    private ChildJvm jobManager;

    private FlinkStandaloneCluster(Builder b, Path workDir) {
        this.workDir = workDir;
        this.ownsDir = b.workDir == null;
        this.confDir = workDir.resolve("conf");
        this.logDir = workDir.resolve("log");
        this.startupTimeout = b.startupTimeout;
        this.classpath = BuildPaths.flinkClusterClasspath();
        this.restPort = BuildPaths.freePort();
        this.plugins = new LinkedHashMap<>(b.plugins);

        Configuration conf = GlobalConfiguration.loadConfiguration(b.confSource.toString());
        conf.setString("jobmanager.rpc.port", String.valueOf(BuildPaths.freePort()));
        conf.setString("rest.port", String.valueOf(restPort));
        conf.setString("io.tmp.dirs", workDir.resolve("tmp").toString());
        conf.setString("web.tmpdir", workDir.resolve("tmp").toString());
        conf.setString("execution.checkpointing.dir", checkpointDir().toUri().toString());
        conf.setString("execution.checkpointing.savepoint-dir", savepointDir().toUri().toString());
        b.overrides.forEach(conf::setString);
        this.config = conf;
    }

    /** 1 JobManager + {@code taskManagers} TaskManagers in a temporary work dir, all registered. */
    public static FlinkStandaloneCluster start(int taskManagers) {
        return builder().taskManagers(taskManagers).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a cluster to start. */
    public static final class Builder {
        private int taskManagers = 2;
        private Path workDir;
        private Path confSource = BuildPaths.flinkConfDir();
        private Duration startupTimeout = Duration.ofSeconds(90);
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final Map<String, List<Path>> plugins = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * A plugin for {@code $FLINK_HOME/plugins/<name>/}: the jars are copied there before the
         * processes start (e.g. the Prometheus reporter, the GPU driver). Default: no plugins.
         */
        public Builder plugin(String name, Path... jars) {
            plugins.put(name, List.of(jars));
            return this;
        }

        public Builder taskManagers(int n) {
            this.taskManagers = n;
            return this;
        }

        /** Work dir (conf, logs, checkpoints, savepoints, tmp); default: a temporary one, deleted by close(). */
        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** The configuration directory to copy (default: the repository's flink-conf/). */
        public Builder confSource(Path dir) {
            this.confSource = dir;
            return this;
        }

        /** A config.yaml key to override, e.g. {@code set("restart-strategy.fixed-delay.attempts", "10")}. */
        public Builder set(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** Bound on the JobManager + TaskManager start (default 90 s). */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        public FlinkStandaloneCluster start() {
            Path dir;
            try {
                dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("videoforge-flink-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            FlinkStandaloneCluster cluster = new FlinkStandaloneCluster(this, dir);
            try {
                cluster.boot(taskManagers);
                return cluster;
            } catch (RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
        }
    }

    private void boot(int n) {
        long t0 = System.nanoTime();
        writeConfDir();
        // jobmanager.sh / taskmanager.sh: BashJavaUtils turns the memory configuration into JVM flags
        // (-Xmx -Xms -XX:MaxDirectMemorySize -XX:MaxMetaspaceSize) and dynamic -D configs.
        CompletableFuture<List<List<String>>> jmParams = CompletableFuture.supplyAsync(
                () -> bashJavaUtils("GET_JM_RESOURCE_PARAMS"));
        CompletableFuture<List<List<String>>> tmParams = CompletableFuture.supplyAsync(
                () -> bashJavaUtils("GET_TM_RESOURCE_PARAMS"));
        List<List<String>> jm = jmParams.join();
        List<List<String>> tm = tmParams.join();
        tmJvmParams = tm.get(0);
        tmDynamicConfigs = tm.get(1);

        List<String> jvm = new ArrayList<>(jm.get(0));
        jvm.addAll(javaOpts(CoreOptions.FLINK_DEFAULT_JM_JVM_OPTIONS, CoreOptions.FLINK_JM_JVM_OPTIONS));
        jvm.add(javacppCacheDir());
        jvm.addAll(logSettings("log4j.properties", logDir.resolve("flink-jobmanager.log")));
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(jm.get(1));
        jobManager = ChildJvm.start("jobmanager", jvm, classpath, ENTRYPOINT, args, workDir,
                logDir.resolve("flink-jobmanager.out"), environment());
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        // TaskManagers started before the ResourceManager is up wait out
        // cluster.registration.error-delay (10 s) before retrying: start them once it answers.
        awaitResourceManager(deadline);
        for (int i = 0; i < n; i++) {
            startTaskManager();
        }
        awaitRegisteredTaskManagers(n, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        System.out.printf("flink cluster %s up in %.1f s: jobmanager pid %d, taskmanager pids %s, work dir %s%n",
                restAddress(), (System.nanoTime() - t0) / 1e9, jobManager.pid(), taskManagerPids(), workDir);
    }

    /** Waits until the REST endpoint serves GET /taskmanagers (it asks the ResourceManager). */
    private void awaitResourceManager(long deadline) {
        Exception last = null;
        while (System.nanoTime() < deadline) {
            checkJobManagerAlive();
            try {
                registeredTaskManagers();
                return;
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(200);
        }
        throw new IllegalStateException("the JobManager's REST endpoint / ResourceManager did not answer within "
                + startupTimeout + " (last error " + last + ")\n" + logTails(40));
    }

    private void writeConfDir() {
        try {
            Files.createDirectories(confDir);
            Files.createDirectories(logDir);
            Files.createDirectories(workDir.resolve("tmp"));
            Files.createDirectories(workDir.resolve("plugins"));
            for (Map.Entry<String, List<Path>> plugin : plugins.entrySet()) {
                Path dir = Files.createDirectories(workDir.resolve("plugins").resolve(plugin.getKey()));
                for (Path jar : plugin.getValue()) {
                    Files.copy(jar, dir.resolve(jar.getFileName()));
                }
            }
            Files.createDirectories(checkpointDir());
            Files.createDirectories(savepointDir());
            Files.write(confDir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME),
                    ConfigurationUtils.convertConfigToWritableLines(config, true), StandardCharsets.UTF_8);
            // Flink's default conf/log4j.properties and conf/log4j-cli.properties, reduced to a file appender.
            String log4j = String.join("\n",
                    "monitorInterval = 30",
                    "rootLogger.level = INFO",
                    "rootLogger.appenderRef.file.ref = MainAppender",
                    "logger.pekko.name = org.apache.pekko",
                    "logger.pekko.level = INFO",
                    "logger.kafka.name = org.apache.kafka",
                    "logger.kafka.level = INFO",
                    "logger.netty.name = org.apache.flink.shaded.netty4.io.netty.channel.DefaultChannelPipeline",
                    "logger.netty.level = OFF",
                    "appender.main.name = MainAppender",
                    "appender.main.type = File",
                    "appender.main.append = true",
                    "appender.main.fileName = ${sys:log.file}",
                    "appender.main.layout.type = PatternLayout",
                    "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                    "");
            Files.writeString(confDir.resolve("log4j.properties"), log4j);
            Files.writeString(confDir.resolve("log4j-cli.properties"), log4j);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<List<String>> bashJavaUtils(String command) {
        String out = ChildJvm.run("BashJavaUtils " + command,
                logSettings("log4j-cli.properties", logDir.resolve("bash-java-utils.log")), classpath, BASH_JAVA_UTILS,
                List.of(command, "--configDir", confDir.toString()), workDir,
                logDir.resolve("bash-java-utils-" + command + ".out"), Map.of(), Duration.ofSeconds(60));
        List<List<String>> results = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith(RESULT_PREFIX)) {
                results.add(ChildJvm.splitOptions(line.substring(RESULT_PREFIX.length())));
            }
        }
        if (results.size() != 2) {
            throw new IllegalStateException("BashJavaUtils " + command + " printed " + results.size()
                    + " results instead of 2 (jvm params, dynamic configs):\n" + out);
        }
        return results;
    }

    /** env.java.default-opts.all + env.java.opts.all + the role's default and own options, as config.sh composes them. */
    private List<String> javaOpts(org.apache.flink.configuration.ConfigOption<String> roleDefault,
                                  org.apache.flink.configuration.ConfigOption<String> role) {
        List<String> opts = new ArrayList<>();
        opts.addAll(ChildJvm.splitOptions(config.get(CoreOptions.FLINK_DEFAULT_JVM_OPTIONS)));
        opts.addAll(ChildJvm.splitOptions(config.get(CoreOptions.FLINK_JVM_OPTIONS)));
        if (roleDefault != null) {
            opts.addAll(ChildJvm.splitOptions(config.get(roleDefault)));
        }
        opts.addAll(ChildJvm.splitOptions(config.get(role)));
        return opts;
    }

    /** What the flink scripts export: the conf dir, and the plugins dir (empty unless the builder added plugins). */
    private Map<String, String> environment() {
        return Map.of("FLINK_CONF_DIR", confDir.toString(), "FLINK_PLUGINS_DIR", workDir.resolve("plugins").toString());
    }

    /**
     * JavaCPP extracts the job jar's native libraries (~210 MB) into its cache, in a directory named
     * after the jar file: on a TaskManager that is the job's blob file, a new name per submission. The
     * cluster's processes get a cache in the work dir, so that close() removes it with the rest
     * (the flink client, which reads the jar from target/ under a stable name, keeps JavaCPP's default).
     */
    private String javacppCacheDir() {
        return "-Dorg.bytedeco.javacpp.cachedir=" + workDir.resolve("javacpp-cache");
    }

    /** flink-daemon.sh's / flink's log_setting. */
    private List<String> logSettings(String log4jFile, Path logFile) {
        String conf = confDir.resolve(log4jFile).toUri().toString();
        return List.of("-Dlog.file=" + logFile, "-Dlog4j.configuration=" + conf, "-Dlog4j.configurationFile=" + conf);
    }

    // --- TaskManagers ---------------------------------------------------------------------------

    /**
     * Starts one more TaskManager (resource id {@code tm-<index>}) and returns its index; does not
     * wait for it to register (see {@link #awaitRegisteredTaskManagers}).
     */
    public synchronized int startTaskManager() {
        int index = taskManagers.size();
        String id = "tm-" + index;
        List<String> jvm = new ArrayList<>(tmJvmParams);
        jvm.addAll(javaOpts(CoreOptions.FLINK_DEFAULT_TM_JVM_OPTIONS, CoreOptions.FLINK_TM_JVM_OPTIONS));
        jvm.add(javacppCacheDir());
        jvm.addAll(logSettings("log4j.properties", logDir.resolve("flink-taskexecutor-" + id + ".log")));
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString(), "-D",
                "taskmanager.resource-id=" + id));
        args.addAll(tmDynamicConfigs);
        taskManagers.add(ChildJvm.start("taskmanager " + id, jvm, classpath, TASK_MANAGER, args, workDir,
                logDir.resolve("flink-taskexecutor-" + id + ".out"), environment()));
        return index;
    }

    /** kill -9 of TaskManager {@code index} ({@code Process.destroyForcibly()}); returns once it is gone. */
    public void killTaskManager(int index) {
        taskManagers.get(index).kill();
    }

    public boolean taskManagerAlive(int index) {
        return taskManagers.get(index).isAlive();
    }

    /** The pid of every TaskManager started so far, by index (killed ones included). */
    public List<Long> taskManagerPids() {
        List<Long> pids = new ArrayList<>();
        taskManagers.forEach(tm -> pids.add(tm.pid()));
        return pids;
    }

    public long jobManagerPid() {
        return jobManager.pid();
    }

    /** TaskManagers the ResourceManager has registered now ({@code GET /taskmanagers}). */
    public int registeredTaskManagers() {
        return get("/taskmanagers").path("taskmanagers").size();
    }

    /** Waits until exactly {@code n} TaskManagers are registered; fails early if the JobManager dies. */
    public void awaitRegisteredTaskManagers(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = -1;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            checkJobManagerAlive();
            try {
                seen = registeredTaskManagers();
                if (seen == n) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e; // REST endpoint not up yet
            }
            sleep(250);
        }
        throw new IllegalStateException(n + " TaskManagers not registered within " + timeout + " (saw " + seen
                + ", last error " + last + ")\n" + logTails(40));
    }

    /**
     * Indexes of the TaskManagers holding tasks of {@code jobId} now (from the REST API's per-vertex
     * task manager view; TaskManager {@code i} has resource id {@code tm-i}).
     */
    public List<Integer> taskManagersOf(String jobId) {
        Set<Integer> out = new LinkedHashSet<>();
        for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
            for (JsonNode tm : get("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers")
                    .path("taskmanagers")) {
                String id = tm.path("taskmanager-id").asText();
                if (id.startsWith("tm-")) {
                    out.add(Integer.parseInt(id.substring(3)));
                }
            }
        }
        return new ArrayList<>(out);
    }

    // --- Jobs -----------------------------------------------------------------------------------

    /**
     * Submits a job jar the way {@code flink run} does: {@code CliFrontend run -m localhost:<rest port>
     * <runOptions> <jobJar> <programArgs>} in its own JVM (FLINK_CONF_DIR = this cluster's conf dir,
     * classpath = the cluster's, as the flink script has it). runOptions are flink run's own (e.g.
     * {@code -c <class>}, {@code -p 2}, {@code -s <savepoint>}, {@code -d}).
     */
    public FlinkRun submit(Path jobJar, List<String> runOptions, String... programArgs) {
        List<String> args = new ArrayList<>(List.of("run", "-m", "localhost:" + restPort));
        args.addAll(runOptions);
        args.add(jobJar.toString());
        args.addAll(Arrays.asList(programArgs));
        int n = clients.size();
        List<String> jvm = new ArrayList<>(javaOpts(null, CoreOptions.FLINK_CLI_JVM_OPTIONS));
        jvm.addAll(logSettings("log4j-cli.properties", logDir.resolve("flink-client-" + n + ".log")));
        FlinkRun run = new FlinkRun(ChildJvm.start("flink run #" + n, jvm, classpath, CLI_FRONTEND, args, workDir,
                logDir.resolve("flink-client-" + n + ".out"), environment()));
        clients.add(run);
        return run;
    }

    /** {@code flink run -c org.videoforge.job.VideoForge <the -flink job jar> <args>}. */
    public FlinkRun submitVideoForge(String... args) {
        return submit(BuildPaths.jobJar(), List.of("-c", VIDEOFORGE_MAIN), args);
    }

    /** A job as {@code GET /jobs/overview} lists it. */
    public static final class JobOverview {
        public final String id;
        public final String name;
        public final String state;

        JobOverview(String id, String name, String state) {
            this.id = id;
            this.name = name;
            this.state = state;
        }

        @Override
        public String toString() {
            return id + " " + state + " (" + name + ")";
        }
    }

    public List<JobOverview> jobs() {
        List<JobOverview> jobs = new ArrayList<>();
        for (JsonNode j : get("/jobs/overview").path("jobs")) {
            jobs.add(new JobOverview(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText()));
        }
        return jobs;
    }

    /** The job's state (CREATED, RUNNING, FINISHED, FAILED, CANCELED, RESTARTING, ...). */
    public String jobState(String jobId) {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /**
     * Polls the job's state until it is one of {@code states}; throws early if the job reaches a
     * different terminal state (FINISHED, FAILED, CANCELED), with its exceptions.
     */
    public String awaitJobState(String jobId, Duration timeout, String... states) {
        Set<String> wanted = Set.of(states);
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = "?";
        while (System.nanoTime() < deadline) {
            checkJobManagerAlive();
            try {
                state = jobState(jobId);
            } catch (RuntimeException notYetKnown) {
                state = "UNKNOWN";
            }
            if (wanted.contains(state)) {
                return state;
            }
            if (Set.of("FINISHED", "FAILED", "CANCELED").contains(state)) {
                throw new IllegalStateException("job " + jobId + " is " + state + ", not " + wanted + "; exceptions: "
                        + get("/jobs/" + jobId + "/exceptions"));
            }
            sleep(250);
        }
        throw new IllegalStateException("job " + jobId + " still " + state + " after " + timeout + ", not " + wanted);
    }

    /** Waits until the job and every one of its tasks run (checkpoints and savepoints need that). */
    public void awaitAllTasksRunning(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = get("/jobs/" + jobId);
            boolean all = "RUNNING".equals(job.path("state").asText()) && job.path("vertices").size() > 0;
            for (JsonNode v : job.path("vertices")) {
                all &= "RUNNING".equals(v.path("status").asText());
            }
            if (all) {
                return;
            }
            sleep(250);
        }
        throw new IllegalStateException("tasks of job " + jobId + " not all RUNNING after " + timeout + ": "
                + get("/jobs/" + jobId).path("vertices"));
    }

    /** Completed checkpoints of the job so far ({@code GET /jobs/:id/checkpoints}, counts.completed). */
    public long completedCheckpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** {@code PATCH /jobs/:id?mode=cancel}: asks the cluster to cancel the job (see awaitJobState). */
    public void cancel(String jobId) {
        send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    /** {@link #stopWithSavepoint(String, Path, Duration)} waiting up to 60 s. */
    public String stopWithSavepoint(String jobId, Path dir) {
        return stopWithSavepoint(jobId, dir, Duration.ofSeconds(60));
    }

    /**
     * Stop-with-savepoint ({@code POST /jobs/:id/stop}, no drain) into {@code dir}; waits for the
     * savepoint and returns its location (a path to give {@code flink run -s}).
     */
    public String stopWithSavepoint(String jobId, Path dir, Duration timeout) {
        ObjectNode body = JSON.createObjectNode();
        body.put("targetDirectory", dir.toUri().toString());
        body.put("drain", false);
        JsonNode trigger = send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/stop"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        String requestId = trigger.path("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + requestId);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                JsonNode op = status.path("operation");
                if (op.has("failure-cause")) {
                    throw new IllegalStateException("stop-with-savepoint of " + jobId + " failed: " + op.path("failure-cause"));
                }
                return op.path("location").asText();
            }
            sleep(250);
        }
        throw new IllegalStateException("stop-with-savepoint of " + jobId + " not done within " + timeout);
    }

    // --- REST -----------------------------------------------------------------------------------

    /** http://localhost:&lt;rest port&gt; */
    public String restAddress() {
        return "http://localhost:" + restPort;
    }

    public int restPort() {
        return restPort;
    }

    /** {@code GET <restAddress><path>} as JSON; throws on a non-2xx answer. */
    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private URI uri(String path) {
        return URI.create(restAddress() + path);
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(r.request().method() + " " + r.uri() + " -> " + r.statusCode() + ": " + r.body());
            }
            return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("REST " + request.build().uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // --- Files ----------------------------------------------------------------------------------

    public Path workDir() {
        return workDir;
    }

    /** The conf dir the processes run with (config.yaml with this cluster's ports and dirs). */
    public Path confDir() {
        return confDir;
    }

    public Path logDir() {
        return logDir;
    }

    /** execution.checkpointing.dir */
    public Path checkpointDir() {
        return workDir.resolve("checkpoints");
    }

    /** execution.checkpointing.savepoint-dir */
    public Path savepointDir() {
        return workDir.resolve("savepoints");
    }

    /** The effective configuration the processes were given. */
    public Configuration configuration() {
        return new Configuration(config);
    }

    /** The last lines of the JobManager's and every TaskManager's log and stdout, for failure messages. */
    public String logTails(int lines) {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(logDir)) {
            files.sorted().filter(p -> p.getFileName().toString().matches("flink-(jobmanager|taskexecutor).*"))
                    .forEach(p -> sb.append(ChildJvm.tail(p, lines)).append('\n'));
        } catch (IOException e) {
            sb.append(e);
        }
        return sb.toString();
    }

    private void checkJobManagerAlive() {
        if (jobManager != null && !jobManager.isAlive()) {
            throw new IllegalStateException("the JobManager exited with " + jobManager.process().exitValue() + "\n"
                    + logTails(60));
        }
    }

    /** Kills every client, TaskManager and the JobManager (kill -9), then deletes the work dir (if temporary). */
    @Override
    public void close() {
        List<ChildJvm> all = new ArrayList<>();
        taskManagers.forEach(all::add);
        if (jobManager != null) {
            all.add(jobManager);
        }
        clients.forEach(FlinkRun::kill);
        all.forEach(p -> p.process().destroyForcibly());
        all.forEach(ChildJvm::kill);
        if (ownsDir && !Boolean.getBoolean("videoforge.cluster.keep")) {
            ChildJvm.deleteTree(workDir);
        } else {
            System.out.println("flink cluster work dir kept: " + workDir);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
