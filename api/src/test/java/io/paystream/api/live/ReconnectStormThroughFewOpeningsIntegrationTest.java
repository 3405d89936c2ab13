package io.paystream.api.live;

import org.springframework.test.context.TestPropertySource;

/**
 * The same storm with two places among the openings: nearly every stream request of the storm waits
 * its turn and is started when another request gives its place up ({@link Openings}), so that path
 * carries the whole storm. Every stream must still be back with every event once and in order.
 */
@TestPropertySource(properties = "paystream.live.openings-max=2")
class ReconnectStormThroughFewOpeningsIntegrationTest extends ReconnectStormIntegrationTest {}
