// The wallet's only door to the server: the public API of docs/CONTRACT.md, as a mobile client
// uses it. Tokens live in this module's variables only (never localStorage, sessionStorage or
// cookies), so a reload signs the user out; that is the price of not leaving tokens on the disk.

/** Refresh this long before the access token expires, so a request rarely meets a 401. */
const REFRESH_MARGIN_SECONDS = 60;
/** Never schedule a refresh sooner than this, whatever expiresIn says. */
const REFRESH_DELAY_MIN_SECONDS = 5;
/** A stream gives up after this many connections in a row that brought no event. */
const STREAM_RECONNECTS_MAX = 10;
/** First wait before reconnecting a stream, unless the server's `retry:` says otherwise. */
const STREAM_RETRY_MILLIS = 1000;
/** Longest wait between two reconnects (the wait doubles after each failure). */
const STREAM_RETRY_MAX_MILLIS = 30000;
/** A stream silent this long is taken for dead: the server sends a heartbeat at least every 15 s. */
const STREAM_SILENCE_MAX_MILLIS = 45000;

/** An answer from the server that refuses the request: the problem+json body, read. */
export class ProblemError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || null;
    this.detail = problem.detail || null;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.limit = problem.limit || null;
  }
}

/**
 * No answer arrived (the connection failed or dropped). The request may or may not have been
 * applied: a money movement must be retried with the same Idempotency-Key, never a new one.
 */
export class NetworkError extends Error {}

/** The session is over (logged out, expired, or revoked after a refresh token was reused). */
export class SessionEndedError extends Error {}

let session = null; // {accessToken, refreshToken}
let refreshing = null; // the one refresh in flight, shared by every caller that needs it
let refreshTimer = 0;
const endListeners = new Set();

export function signedIn() {
  return session !== null;
}

/** Called with a reason (text or null) when the session ends for any cause. */
export function onSessionEnd(listener) {
  endListeners.add(listener);
}

export async function register(name, email, password) {
  return request('POST', '/api/v1/auth/register', { body: { email, password, name }, auth: false });
}

export async function login(email, password) {
  start(await request('POST', '/api/v1/auth/login', { body: { email, password }, auth: false }));
}

/** Ends the session here and on the server; the local end happens even if the server is away. */
export async function logout() {
  const ending = session;
  if (ending === null) {
    return;
  }
  try {
    await request('POST', '/api/v1/auth/logout', { body: { refreshToken: ending.refreshToken } });
  } catch (ignored) {
    // The tokens are forgotten below either way; an unreachable server cannot keep us signed in.
  } finally {
    end(null);
  }
}

function start(tokens) {
  session = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
  clearTimeout(refreshTimer);
  const delaySeconds = Math.max(tokens.expiresIn - REFRESH_MARGIN_SECONDS, REFRESH_DELAY_MIN_SECONDS);
  refreshTimer = setTimeout(() => refresh().catch(() => {}), delaySeconds * 1000);
}

function end(reason) {
  const wasSignedIn = session !== null;
  session = null;
  clearTimeout(refreshTimer);
  if (wasSignedIn) {
    endListeners.forEach((listener) => listener(reason));
  }
}

/**
 * Trades the refresh token for a new pair. Only one refresh runs at a time: two would present the
 * same refresh token twice, and the server would take the second for theft (refresh_token_reused)
 * and revoke the whole login.
 */
function refresh() {
  if (refreshing === null) {
    refreshing = refreshOnce().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function refreshOnce() {
  if (session === null) {
    throw new SessionEndedError('signed out');
  }
  let response;
  try {
    response = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
      cache: 'no-store',
    });
  } catch (failed) {
    throw new NetworkError('the server did not answer');
  }
  if (response.ok) {
    start(await response.json());
    return;
  }
  const problem = await problemOf(response);
  if (response.status === 401) {
    const reason =
      problem.code === 'refresh_token_reused'
        ? 'For your safety this sign-in was ended everywhere (its refresh token was used twice). Please log in again.'
        : 'Your session has ended. Please log in again.';
    end(reason);
    throw new SessionEndedError(reason);
  }
  throw new ProblemError(response.status, problem);
}

/**
 * A fetch with the bearer token; on a 401, refreshes once and repeats the request. Returns the
 * Response (any status); throws NetworkError when no answer came.
 */
async function authorized(method, path, { body, headers = {}, signal } = {}) {
  for (let attempt = 0; ; attempt++) {
    if (session === null) {
      throw new SessionEndedError('signed out');
    }
    const token = session.accessToken;
    const response = await exchange(method, path, {
      body,
      headers: { ...headers, Authorization: `Bearer ${token}` },
      signal,
    });
    if (response.status !== 401 || attempt > 0) {
      return response;
    }
    // Another caller may have refreshed while this request was out: then just use the new token.
    if (session !== null && session.accessToken === token) {
      await refresh();
    }
  }
}

async function exchange(method, path, { body, headers, signal }) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, cache: 'no-store', signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(path, init);
  } catch (failed) {
    if (failed.name === 'AbortError') {
      throw failed;
    }
    throw new NetworkError('the server did not answer');
  }
}

/** A JSON request: resolves to the body (null for 204), or throws ProblemError / NetworkError. */
export async function request(method, path, { body, headers, auth = true } = {}) {
  const response = auth
    ? await authorized(method, path, { body, headers })
    : await exchange(method, path, { body, headers: headers || {} });
  let text;
  try {
    text = await response.text();
  } catch (failed) {
    throw new NetworkError('the answer was cut off');
  }
  if (!response.ok) {
    throw new ProblemError(response.status, parse(text) || {});
  }
  return text ? parse(text) : null;
}

async function problemOf(response) {
  try {
    return parse(await response.text()) || {};
  } catch (failed) {
    return {};
  }
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch (notJson) {
    return null;
  }
}

/**
 * One money movement the user means to make once. The Idempotency-Key is made when the form is
 * first submitted and reused by every retry of the same body, so a double click, a retry after a
 * lost answer or a 503 is applied at most once by the server. A changed body, or a settled
 * attempt (accepted or refused), gets a new key.
 */
export class Attempt {
  #key = null;
  #body = null;

  keyFor(body) {
    const text = JSON.stringify(body);
    if (this.#key === null || text !== this.#body) {
      this.#key = newKey();
      this.#body = text;
    }
    return this.#key;
  }

  /** The server answered for good: the next submit is a new attempt. */
  settle() {
    this.#key = null;
    this.#body = null;
  }
}

/**
 * Whether an error settles an attempt. A refusal means nothing moved and never will for this key;
 * no answer, 409 (the first request is still being processed), 429 and 5xx leave the attempt open
 * for a retry with the same key.
 */
export function settles(error) {
  return (
    error instanceof ProblemError &&
    error.status >= 400 &&
    error.status < 500 &&
    ![401, 408, 409, 429].includes(error.status)
  );
}

/** POSTs a money movement with the attempt's key. */
export function postMoney(path, body, attempt) {
  return request('POST', path, { body, headers: { 'Idempotency-Key': attempt.keyFor(body) } });
}

function newKey() {
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  // randomUUID needs a secure context; getRandomValues does not. Version 4, variant 10.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Server-sent events over fetch (EventSource cannot send the bearer header, and tokens never go in
 * URLs). Calls onEvent({id, type, data}) per event, with data parsed as JSON. When the stream ends
 * or breaks before close() is called, it reconnects with Last-Event-ID, so nothing in between is
 * missed. onState(text) hears 'live', 'reconnecting' and 'stopped'.
 */
export function openStream(path, { onEvent, onState = () => {}, lastEventId = null }) {
  const controller = new AbortController();
  let last = lastEventId;
  let closed = false;
  let retryMillis = STREAM_RETRY_MILLIS;

  async function run() {
    let failures = 0; // connections in a row that brought no event; an event resets it
    while (!closed && failures <= STREAM_RECONNECTS_MAX) {
      // Each connection has its own abort: close() ends it, and so does the silence watchdog.
      const connection = new AbortController();
      const abort = () => connection.abort();
      controller.signal.addEventListener('abort', abort);
      let watchdog = 0;
      const heard = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(abort, STREAM_SILENCE_MAX_MILLIS);
      };
      failures++;
      try {
        const headers = { Accept: 'text/event-stream' };
        if (last !== null && last !== '') {
          headers['Last-Event-ID'] = last;
        }
        heard();
        const response = await authorized('GET', path, { headers, signal: connection.signal });
        if (!response.ok) {
          throw new ProblemError(response.status, await problemOf(response));
        }
        onState('live');
        await readEvents(response.body, {
          onChunk: heard,
          onEvent: (event) => {
            failures = 0;
            if (event.id !== null) {
              last = event.id;
            }
            onEvent({ ...event, data: parse(event.data) });
          },
          onRetry: (millis) => {
            retryMillis = millis;
          },
        });
      } catch (failed) {
        if (closed || failed instanceof SessionEndedError) {
          break;
        }
        if (failed instanceof ProblemError && failed.status < 500 && failed.status !== 429) {
          break; // not found, forbidden: retrying cannot help
        }
      } finally {
        clearTimeout(watchdog);
        controller.signal.removeEventListener('abort', abort);
      }
      if (!closed) {
        onState('reconnecting');
        await sleep(Math.min(retryMillis * 2 ** Math.max(failures - 1, 0), STREAM_RETRY_MAX_MILLIS));
      }
    }
    onState('stopped');
  }

  run();
  return {
    close() {
      closed = true;
      controller.abort();
    },
  };
}

function sleep(millis) {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

/**
 * The event-stream format (WHATWG HTML, "Parsing an event stream"): lines end in CR LF, LF or
 * CR; a blank line dispatches the event; ':' starts a comment; 'id' persists until changed.
 */
async function readEvents(body, { onChunk, onEvent, onRetry }) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let id = null;
  let type = '';
  let data = [];
  const line = (text) => {
    if (text === '') {
      if (data.length > 0) {
        onEvent({ id, type: type || 'message', data: data.join('\n') });
      }
      type = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) {
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'data') {
      data.push(value);
    } else if (field === 'event') {
      type = value;
    } else if (field === 'id' && !value.includes('\0')) {
      id = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) {
      onRetry(Number(value));
    }
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    onChunk();
    buffer += decoder.decode(value, { stream: true });
    // A CR at the very end may be the first half of CR LF: keep it for the next chunk.
    const cut = buffer.endsWith('\r') ? buffer.length - 1 : buffer.length;
    const lines = buffer.slice(0, cut).split(/\r\n|\r|\n/);
    buffer = lines.pop() + buffer.slice(cut);
    lines.forEach(line);
  }
}
