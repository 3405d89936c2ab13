package io.paystream.api.web;

import java.util.List;

/** A list response: {@code {"items": [...]}}, with {@code nextCursor} when it is a page. */
public record Items<T>(List<T> items) {}
