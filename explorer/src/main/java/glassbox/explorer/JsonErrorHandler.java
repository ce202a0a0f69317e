package glassbox.explorer;

import glassbox.viz.render.JsonOut;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Requests that the web server itself refuses before any route sees them (a malformed or ambiguous path such
 * as {@code ..%2F..}, a header too large) get the explorer's JSON error too, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        String text = "refused by the web server: " + (message == null ? "status " + code : message);
        byte[] body = JsonOut.mapper().writeValueAsBytes(new ExplorerServer.ApiError(text));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Malformed requests refused while parsing (e.g. {@code /../..}) never reach a handler: answer JSON here. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        try {
            return ByteBuffer.wrap(JsonOut.mapper().writeValueAsBytes(new ExplorerServer.ApiError(
                    "refused by the web server: " + (reason == null ? "bad request" : reason))));
        } catch (IOException e) {
            return super.badMessageError(status, reason, fields);
        }
    }

    @Override
    public boolean isShowStacks() {
        return false;
    }

}
