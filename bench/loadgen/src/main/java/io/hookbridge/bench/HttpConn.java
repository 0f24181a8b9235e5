package io.hookbridge.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A minimal HTTP/1.1 keep-alive client connection over a plain socket: one request at a time, the answer read
 * completely (Content-Length or chunked). Much lighter on the shared CPU than a general-purpose client, which
 * matters when load generator and gateway share two cores. Reconnects when the server closes the connection
 * (Tomcat closes keep-alive connections after 100 requests by default); each (re)connect is counted.
 */
final class HttpConn implements Closeable {

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final StringBuilder line = new StringBuilder(128);
    byte[] body = new byte[4096];
    int bodyLength;
    long connects;

    HttpConn(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /** Sends one request and reads the whole answer; the answer's body is in {@link #body}. */
    int exchange(byte[] head, byte[] requestBody) throws IOException {
        if (socket == null) connect();
        try {
            out.write(head);
            out.write(requestBody);
            out.flush();
            return readResponse();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(timeoutMillis);
        s.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16384);
        out = new BufferedOutputStream(s.getOutputStream(), 16384);
        connects++;
    }

    private int readResponse() throws IOException {
        String status = readLine();
        if (!status.startsWith("HTTP/1.")) throw new IOException("bad status line: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        boolean close = status.startsWith("HTTP/1.0");
        while (true) {
            String h = readLine();
            if (h.isEmpty()) break;
            int colon = h.indexOf(':');
            if (colon <= 0) continue;
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) contentLength = Long.parseLong(value);
            else if (name.equalsIgnoreCase("transfer-encoding") && value.toLowerCase().contains("chunked")) chunked = true;
            else if (name.equalsIgnoreCase("connection")) close = value.equalsIgnoreCase("close");
        }
        bodyLength = 0;
        if (chunked) {
            while (true) {
                String size = readLine();
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (n == 0) {
                    while (!readLine().isEmpty()) { /* trailers */ }
                    break;
                }
                readBody(n);
                readLine();
            }
        } else if (contentLength > 0) {
            readBody((int) contentLength);
        } else if (contentLength < 0 && code != 204 && code != 304) {
            // no length: the body runs until the server closes
            int b;
            while ((b = in.read()) >= 0) append((byte) b);
            close = true;
        }
        if (close) close();
        return code;
    }

    private void readBody(int n) throws IOException {
        if (bodyLength + n > body.length) body = java.util.Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + n));
        int read = 0;
        while (read < n) {
            int r = in.read(body, bodyLength + read, n - read);
            if (r < 0) throw new EOFException("connection closed inside a response body");
            read += r;
        }
        bodyLength += n;
    }

    private void append(byte b) {
        if (bodyLength == body.length) body = java.util.Arrays.copyOf(body, body.length * 2);
        body[bodyLength++] = b;
    }

    private String readLine() throws IOException {
        line.setLength(0);
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed by the server" + (line.length() > 0 ? " mid-line" : ""));
            if (b == '\n') break;
            if (b != '\r') line.append((char) b);
        }
        return line.toString();
    }

    /** True when the last answer's body contains this ASCII text. */
    boolean bodyContains(byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= bodyLength; i++) {
            for (int k = 0; k < needle.length; k++) if (body[i + k] != needle[k]) continue outer;
            return true;
        }
        return false;
    }

    String bodyText() {
        return new String(body, 0, bodyLength, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // discarded
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
