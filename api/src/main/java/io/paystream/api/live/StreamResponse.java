package io.paystream.api.live;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.http.MediaType;

/**
 * The OpenAPI document's answer of a stream endpoint: the handler returns no body (the stream is
 * written to the connection after the request, {@link StreamHandover}), so the document would
 * otherwise say nothing of {@code text/event-stream}; clients, and the authorization matrix test,
 * read it there.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ApiResponse(
    responseCode = "200",
    description =
        "Server-sent events: an opening comment with the retry hint, one event per change"
            + " (id: its position, event: its name, data: the resource), and heartbeat comments",
    content =
        @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
@interface StreamResponse {}
