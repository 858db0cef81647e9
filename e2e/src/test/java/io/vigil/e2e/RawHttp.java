package io.vigil.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a bare socket, one request per connection: the bytes are sent exactly as given, so a test can send
 * what no well-behaved client would (CR/LF in a header, a lying Content-Length, a bad chunk, a non-token method).
 */
final class RawHttp {

    /** What came back: the status ({@code -1} when the server closed without answering or did not answer in time). */
    record Answer(int status, String head, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_KEPT = 256 * 1024;

    private RawHttp() {
    }

    /** Sends {@code request} to 127.0.0.1:{@code port} and reads the answer up to its end or the connection's close. */
    static Answer exchange(int port, byte[] request, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before it read everything (413, 431): read what it said
            }
            boolean head = request.length >= 5 && new String(request, 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD ");
            return read(socket.getInputStream(), head);
        } catch (SocketTimeoutException e) {
            return new Answer(-1, "timeout", new byte[0]);
        } catch (IOException e) {
            return new Answer(-1, e.toString(), new byte[0]);
        }
    }

    private static Answer read(InputStream in, boolean head) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) != -1) {
            headBytes.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String headText = headBytes.toString(StandardCharsets.ISO_8859_1);
        if (!headText.startsWith("HTTP/1.")) {
            return new Answer(-1, headText.isEmpty() ? "closed without an answer" : headText, new byte[0]);
        }
        int status = Integer.parseInt(headText.substring(9, 12));
        String lower = headText.toLowerCase(Locale.ROOT);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long length = contentLength(lower);
        if (head) {
            return new Answer(status, headText, new byte[0]);
        } else if (lower.contains("\ntransfer-encoding: chunked")) {
            readChunked(in, body);
        } else if (length >= 0) {
            copy(in, body, length);
        } else if (status != 204 && status != 304 && lower.contains("\nconnection: close")) {
            copy(in, body, Long.MAX_VALUE);
        }
        return new Answer(status, headText, body.toByteArray());
    }

    private static long contentLength(String lowerHead) {
        int at = lowerHead.indexOf("\ncontent-length:");
        if (at < 0) {
            return -1;
        }
        int end = lowerHead.indexOf('\r', at + 1);
        return Long.parseLong(lowerHead.substring(at + "\ncontent-length:".length(), end).trim());
    }

    private static void readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
        while (true) {
            String size = line(in);
            int semicolon = size.indexOf(';');
            long length = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (length == 0) {
                line(in);
                return;
            }
            copy(in, body, length);
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static void copy(InputStream in, ByteArrayOutputStream body, long length) throws IOException {
        byte[] buffer = new byte[8192];
        long left = length;
        int n;
        while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) != -1) {
            if (body.size() < MAX_KEPT) {
                body.write(buffer, 0, n);
            }
            left -= n;
        }
    }
}
