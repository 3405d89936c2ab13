package io.paystream.api.web;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.paystream.domain.Ids;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Gives the answers of the HTTP codec the contract's problem+json body. Reactor Netty refuses a
 * request it cannot decode (a control byte in a header, a malformed or over-long URI, headers over
 * their limit) itself, before any WebFlux code runs, with a status and an empty body. Such an
 * answer is recognised by having no {@code X-Request-Id}: every answer of the application has one
 * ({@link RequestIdFilter}). It gets a problem body of the matching code and an id of its own.
 */
@Component
public class CodecRefusals implements NettyServerCustomizer {

  static final String HANDLER = "paystream.codecRefusals";

  private final Problems problems;

  public CodecRefusals(ProblemWriter writer) {
    this.problems = new Problems(writer);
  }

  @Override
  public HttpServer apply(HttpServer server) {
    // Between the codec and reactor's HTTP handlers: what they write passes through here before
    // the codec encodes it. Channel init runs after reactor has built its pipeline.
    return server.doOnChannelInit(
        (observer, channel, remote) -> {
          if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
            channel.pipeline().addAfter(NettyPipeline.HttpCodec, HANDLER, problems);
          }
        });
  }

  @Sharable
  static final class Problems extends ChannelOutboundHandlerAdapter {

    private static final Set<Integer> CODEC_STATUSES = Set.of(400, 413, 414, 431);

    private final ProblemWriter writer;

    Problems(ProblemWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof FullHttpResponse response && isCodecRefusal(response)) {
        ApiError error = error(response.status().code());
        byte[] body =
            writer.body(error, detail(error), List.of(), null).getBytes(StandardCharsets.UTF_8);
        ByteBuf content = ctx.alloc().buffer(body.length).writeBytes(body);
        FullHttpResponse problem = response.replace(content);
        response.release();
        problem
            .headers()
            .set(RequestIdFilter.HEADER, Ids.newId().toString())
            .set(HttpHeaderNames.CONTENT_TYPE, ProblemWriter.PROBLEM_JSON.toString())
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        ctx.write(problem, promise);
        return;
      }
      ctx.write(msg, promise);
    }

    /** The statuses reactor-netty answers undecodable requests with, an empty body, no id. */
    static boolean isCodecRefusal(FullHttpResponse response) {
      return CODEC_STATUSES.contains(response.status().code())
          && response.content().readableBytes() == 0
          && !response.headers().contains(RequestIdFilter.HEADER);
    }

    static ApiError error(int status) {
      return switch (status) {
        case 413 -> ApiError.PAYLOAD_TOO_LARGE;
        case 414 -> ApiError.URI_TOO_LONG;
        case 431 -> ApiError.HEADERS_TOO_LARGE;
        default -> ApiError.MALFORMED_REQUEST;
      };
    }

    private static String detail(ApiError error) {
      return switch (error) {
        case PAYLOAD_TOO_LARGE -> "the request body is too large";
        case URI_TOO_LONG -> "the request URI is longer than this API accepts";
        case HEADERS_TOO_LARGE -> "the request headers are larger than this API accepts";
        default ->
            "the request could not be read as HTTP: a malformed request line, URI or"
                + " header (control characters are not allowed in headers)";
      };
    }
  }
}
