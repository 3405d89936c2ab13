package io.paystream.api.live;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.paystream.messaging.events.EventFeed;
import io.paystream.persistence.events.EventLogRow;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.MonoSink;

/**
 * One open stream, written straight to its connection once the request that opened it has been
 * answered ({@link StreamHandover}): the rows of its subscription become frames on the channel, a
 * heartbeat is scheduled on the connection's own event loop, and nothing of the WebFlux request
 * stays behind. Per event, what is allocated is the frame: its buffer, its HTTP chunk, its write
 * promise and the task that queues it on the event loop.
 *
 * <p>Back-pressure is the feed's: at most {@link #IN_FLIGHT} frames are handed to the connection
 * before the socket has taken them; further rows wait in the subscription's bounded buffer, and a
 * client that stops reading fills it and has its stream ended ({@link
 * EventFeed.SlowSubscriberException}), to resume with Last-Event-ID.
 *
 * <p>The stream ends when its rows end (a transfer's terminal event), when the client goes, or when
 * it falls too far behind. Whichever comes first releases its slot, once.
 */
final class LiveStream implements CoreSubscriber<EventLogRow>, ChannelFutureListener, Disposable {

  /** Frames written but not yet taken by the socket before more rows are asked for. */
  static final int IN_FLIGHT = 16;

  private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

  private static final AtomicIntegerFieldUpdater<LiveStream> CLOSED =
      AtomicIntegerFieldUpdater.newUpdater(LiveStream.class, "closed");

  private final Publisher<EventLogRow> rows;
  private final Consumer<EventLogRow> delivered;
  private final Runnable release;
  private final Duration heartbeat;
  private final Duration reconnect;

  private Channel channel;
  private MonoSink<Void> end;
  private volatile Subscription subscription;
  private volatile Future<?> beats;
  private volatile int closed;

  /**
   * @param rows the subscription, not yet subscribed
   * @param delivered told of each row as its frame is handed to the connection
   * @param release gives back the stream's slot; runs once, however the stream ends
   */
  LiveStream(
      Publisher<EventLogRow> rows,
      Consumer<EventLogRow> delivered,
      Runnable release,
      Duration heartbeat,
      Duration reconnect) {
    this.rows = rows;
    this.delivered = delivered;
    this.release = release;
    this.heartbeat = heartbeat;
    this.reconnect = reconnect;
  }

  /**
   * Streams on {@code channel}, whose response headers have been sent, until the stream ends; then
   * completes {@code end}, which ends the response. Disposing this ends the stream.
   */
  void serve(Channel channel, MonoSink<Void> end) {
    this.channel = channel;
    this.end = end;
    if (closed == 0) {
      rows.subscribe(this);
    }
  }

  @Override
  public void onSubscribe(Subscription subscription) {
    this.subscription = subscription;
    if (closed != 0) {
      subscription.cancel();
      return;
    }
    // Subscribed first, so a client that has seen the opening comment knows its live subscription
    // exists already.
    onLoop(this::open);
    subscription.request(IN_FLIGHT);
  }

  @Override
  public void onNext(EventLogRow row) {
    onLoop(() -> write(row));
  }

  @Override
  public void onError(Throwable error) {
    // A slow subscriber's stream ends cleanly; the client resumes with Last-Event-ID.
    onLoop(() -> end(error instanceof EventFeed.SlowSubscriberException ? null : error));
  }

  @Override
  public void onComplete() {
    onLoop(() -> end(null));
  }

  /** A frame left for the socket: room for one more row, or the connection failed. */
  @Override
  public void operationComplete(ChannelFuture written) {
    if (written.isSuccess()) {
      subscription.request(1);
    } else if (closed == 0) {
      log.debug("stream write failed, ending it: {}", String.valueOf(written.cause()));
      end(null);
    }
  }

  @Override
  public void dispose() {
    close();
  }

  @Override
  public boolean isDisposed() {
    return closed != 0;
  }

  // Everything that writes or ends the response runs on the connection's event loop and checks
  // that the stream is still open there, so no frame can follow the response's end (a late row or
  // heartbeat would otherwise land in the next response on a kept-alive connection).

  private void open() {
    if (closed != 0) {
      return;
    }
    channel.writeAndFlush(
        new DefaultHttpContent(SseFrames.opening(channel.alloc(), reconnect)),
        channel.voidPromise());
    long every = heartbeat.toMillis();
    beats =
        channel.eventLoop().scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
    if (closed != 0) {
      // Closed from another thread meanwhile, before the schedule could be seen there.
      beats.cancel(false);
    }
  }

  private void write(EventLogRow row) {
    if (closed != 0) {
      return;
    }
    delivered.accept(row);
    channel
        .writeAndFlush(new DefaultHttpContent(SseFrames.event(channel.alloc(), row)))
        .addListener(this);
  }

  private void beat() {
    if (closed == 0) {
      channel.writeAndFlush(new DefaultHttpContent(SseFrames.heartbeat()), channel.voidPromise());
    }
  }

  /** The stream ends: released first, then the response ends (with {@code error}, if any). */
  private void end(Throwable error) {
    close();
    if (error == null) {
      end.success();
    } else {
      end.error(error);
    }
  }

  /**
   * Always queued, even on the event loop itself: rows arrive on whichever thread emitted them (the
   * feed's poller, a replay, the event loop when a finished write asks for more), and only the
   * queue keeps their frames, and the end, in the order they were signalled.
   */
  private void onLoop(Runnable task) {
    channel.eventLoop().execute(task);
  }

  private void close() {
    if (!CLOSED.compareAndSet(this, 0, 1)) {
      return;
    }
    Subscription current = subscription;
    if (current != null) {
      current.cancel();
    }
    Future<?> scheduled = beats;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
    release.run();
  }
}
