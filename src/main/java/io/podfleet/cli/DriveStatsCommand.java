package io.podfleet.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code podfleet drive-stats import --server URL --token T FILE...}: sends public Drive Stats CSV files to a server,
 * one request (and so one transaction) per file, streamed from disk. Stops at the first refused file, naming it,
 * so an operator re-runs from there; files before it are imported.
 */
final class DriveStatsCommand {

    static final String USAGE = """
            Usage: podfleet drive-stats import --server URL --token TOKEN FILE...
              Imports Drive Stats CSV files (2013-era or newer schema) through the server's API; an OPERATOR token.
              Re-importing a day replaces it. Exit code 0 when all files are in, 1 when one is refused.
              The token may also come from the PODFLEET_TOKEN environment variable.""";

    private DriveStatsCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (!args[0].equals("import")) {
            err.println("podfleet drive-stats: unknown subcommand '" + args[0] + "'\n" + USAGE);
            return 2;
        }
        String server = null;
        String token = System.getenv("PODFLEET_TOKEN");
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--server" -> server = i + 1 < args.length ? args[++i] : null;
                case "--token" -> token = i + 1 < args.length ? args[++i] : null;
                default -> files.add(Path.of(args[i]));
            }
        }
        if (server == null || token == null || files.isEmpty()) {
            err.println("podfleet drive-stats import: --server, --token and at least one file are required\n" + USAGE);
            return 2;
        }
        for (Path f : files) {
            if (!Files.isReadable(f)) {
                err.println("podfleet drive-stats import: cannot read " + f);
                return 2;
            }
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        for (Path f : files) {
            try {
                String name = f.getFileName().toString();
                URI uri = URI.create(server.replaceAll("/+$", "") + "/api/v1/drive-stats/import?name="
                        + URLEncoder.encode(name, StandardCharsets.UTF_8));
                long started = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "text/csv")
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofFile(f))
                        .timeout(Duration.ofMinutes(30)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    err.println(name + ": refused (" + r.statusCode() + "): " + r.body());
                    return 1;
                }
                out.printf("%s: imported in %.1f s: %s%n", name, (System.nanoTime() - started) / 1e9, r.body());
            } catch (Exception e) {
                err.println(f.getFileName() + ": " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }
}
