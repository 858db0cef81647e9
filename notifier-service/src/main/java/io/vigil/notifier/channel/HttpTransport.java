package io.vigil.notifier.channel;

import io.vigil.notifier.Channel;
import io.vigil.notifier.SendResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The one HTTP client of the Slack, Teams and webhook senders (JDK HttpClient, HTTP/1.1, no
 * redirects), with a timeout on every request. Errors it reports never repeat the URL.
 */
@ApplicationScoped
public class HttpTransport {

    /** Headers a webhook's configuration may not override. */
    private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade");

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** POSTs a JSON text to the URL the channel's configuration holds under {@code urlKey}. */
    public SendResult post(Channel channel, String urlKey, String json, Duration timeout) {
        String url = channel.text(urlKey);
        if (url == null || url.isBlank()) {
            return SendResult.failed("the channel has no " + urlKey);
        }
        return send(url, "POST", Map.of(), utf8(json), timeout);
    }

    /** Sends a JSON body and classifies the answer. */
    public SendResult send(String url, String method, Map<String, String> headers, byte[] body, Duration timeout) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "Vigil-Notifier/1")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach((name, value) -> {
                if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    request.setHeader(name, value);
                }
            });
        } catch (IllegalArgumentException e) {
            return SendResult.failed("the target URL or a configured header is not valid");
        }
        try {
            HttpResponse<Void> response = client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                    .get(timeout.toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
            return SendResult.ofHttp(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                    response.headers().firstValue("Location").orElse(null));
        } catch (java.util.concurrent.TimeoutException e) {
            return SendResult.retry("no answer within " + timeout.toMillis() + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return SendResult.retry("no answer within " + timeout.toMillis() + " ms");
            }
            if (cause instanceof java.net.ConnectException) {
                return SendResult.retry("cannot connect to the target");
            }
            if (cause instanceof IOException) {
                return SendResult.retry("connection error: " + cause.getClass().getSimpleName());
            }
            return SendResult.retry("send error: " + (cause == null ? e : cause).getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.retry("interrupted while sending");
        }
    }

    /** UTF-8 bytes of a JSON text. */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
