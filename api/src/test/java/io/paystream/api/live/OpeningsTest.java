package io.paystream.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream requests let in a few at a time, the rest in the order they came. */
class OpeningsTest {

  private final Openings openings = new Openings(2);

  /** The requests told to enter after waiting. */
  private final List<String> entered = new ArrayList<>();

  @Test
  void asManyAsThereArePlacesEnterAtOnceAndTheRestInTheOrderTheyCame() {
    Request first = new Request("first");
    Request second = new Request("second");
    Request third = new Request("third");
    Request fourth = new Request("fourth");

    assertThat(List.of(first, second, third, fourth).stream().map(openings::arrive))
        .containsExactly(true, true, false, false);

    assertThat(entered).isEmpty();
    assertThat(openings.waiting()).isEqualTo(2);
    openings.leave();
    assertThat(entered).containsExactly("third");
    openings.leave();
    openings.leave();
    assertThat(entered).containsExactly("third", "fourth");
    assertThat(openings.inside()).isEqualTo(1);
    openings.leave();
    assertThat(openings.inside()).isZero();
    assertThat(openings.waiting()).isZero();
  }

  @Test
  void aRequestWhoseClientWentWhileItWaitedIsSkippedAndHoldsNoPlace() {
    openings.arrive(new Request("first"));
    openings.arrive(new Request("second"));
    Request gone = new Request("gone");
    openings.arrive(gone);
    openings.arrive(new Request("after"));
    gone.closed = true;

    openings.leave();

    assertThat(entered).containsExactly("after");
    assertThat(openings.inside()).isEqualTo(2);
    assertThat(openings.waiting()).isZero();
  }

  @Test
  void aPlaceGivenUpWithNobodyWaitingIsFreeForTheNextToArrive() {
    openings.arrive(new Request("first"));
    openings.arrive(new Request("second"));
    openings.leave();

    assertThat(openings.arrive(new Request("third"))).isTrue();

    assertThat(entered).isEmpty();
    assertThat(openings.inside()).isEqualTo(2);
  }

  private final class Request implements Openings.Opening {

    private final String name;
    private boolean closed;

    Request(String name) {
      this.name = name;
    }

    @Override
    public void enter() {
      entered.add(name);
    }

    @Override
    public boolean isClosed() {
      return closed;
    }
  }
}
