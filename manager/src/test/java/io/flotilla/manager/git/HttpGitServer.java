package io.flotilla.manager.git;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.UploadPack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** JGit smart HTTP on 127.0.0.1 behind BASIC auth, on plain HTTP and (optionally) HTTPS. */
final class HttpGitServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector http;
    private final ServerConnector https;
    private final Map<String, Repository> repos = new ConcurrentHashMap<>();
    private final AtomicInteger packsSent = new AtomicInteger();

    private HttpGitServer(String user, String password, Path keyStore, String keyStorePassword) throws Exception {
        server = new Server();
        http = new ServerConnector(server);
        http.setHost("127.0.0.1");
        server.addConnector(http);
        if (keyStore != null) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(keyStore.toString());
            tls.setKeyStorePassword(keyStorePassword);
            https = new ServerConnector(server, tls);
            https.setHost("127.0.0.1");
            server.addConnector(https);
        } else {
            https = null;
        }
        GitServlet git = new GitServlet();
        git.setRepositoryResolver((req, name) -> {
            Repository repo = repos.get(name);
            if (repo == null) {
                throw new RepositoryNotFoundException(name);
            }
            repo.incrementOpen();
            return repo;
        });
        git.setUploadPackFactory((req, repo) -> {
            UploadPack pack = new UploadPack(repo);
            pack.setPostUploadHook(stats -> packsSent.incrementAndGet());
            return pack;
        });
        ServletContextHandler context = new ServletContextHandler("/");
        context.addFilter(new FilterHolder(new BasicAuth(user, password)), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(git), "/*");
        server.setHandler(context);
        server.start();
    }

    static HttpGitServer start(String user, String password, Path keyStore, String keyStorePassword) throws Exception {
        return new HttpGitServer(user, password, keyStore, keyStorePassword);
    }

    void serve(String name, Repository repo) {
        repos.put(name, repo);
    }

    String url(String name) {
        return "http://127.0.0.1:" + http.getLocalPort() + "/" + name;
    }

    String httpsUrl(String name) {
        return "https://127.0.0.1:" + https.getLocalPort() + "/" + name;
    }

    /** Number of packs sent (fetches that downloaded objects); ls-remote does not count. */
    int packDownloads() {
        return packsSent.get();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private final class BasicAuth implements Filter {
        private final String expected;

        BasicAuth(String user, String password) {
            expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest req = (HttpServletRequest) request;
            HttpServletResponse res = (HttpServletResponse) response;
            if (!expected.equals(req.getHeader("Authorization"))) {
                res.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
                res.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
