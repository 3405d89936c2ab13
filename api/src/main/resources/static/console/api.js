// The console's only door to the API: JSON calls with the bearer token, the login session and its
// refresh rotation, problem+json as errors, and server-sent events read with fetch (EventSource
// cannot send an Authorization header, and tokens never go into URLs).
//
// Tokens live in this module's variables only: never localStorage, sessionStorage or cookies, so a
// reload ends the session.

/** Refresh this long before the access token expires, so that calls rarely meet a 401. */
const REFRESH_MARGIN_SECONDS = 30;
/** Never schedule a refresh sooner than this (a very short-lived token would otherwise spin). */
const REFRESH_DELAY_MIN_SECONDS = 5;
/** Wait before reconnecting a stream when the server named no `retry:`. */
const STREAM_RETRY_DEFAULT_MILLIS = 2000;
/** Ceiling of the growing wait between failed stream connects. */
const STREAM_RETRY_MAX_MILLIS = 30000;

let session = null; // {accessToken, refreshToken}
let refreshTimer = null;
let refreshing = null; // the one refresh in flight: rotation spends the old token, so never two
let onSessionEnded = () => {};

/** An API answer that was not 2xx, carrying the problem+json members when there were any. */
export class ApiProblem extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.code = problem.code || null;
    this.detail = problem.detail || null;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

function describe(status, problem) {
  const parts = [];
  parts.push(problem.detail || problem.title || `The API answered ${status}.`);
  for (const error of Array.isArray(problem.errors) ? problem.errors : []) {
    parts.push(`${error.field}: ${error.message}`);
  }
  if (problem.code) {
    parts.push(`(${problem.code}, HTTP ${status})`);
  }
  return parts.join(' ');
}

/** Called (once) when the session cannot go on: refresh refused, or logout. */
export function whenSessionEnds(callback) {
  onSessionEnded = callback;
}

export function loggedIn() {
  return session !== null;
}

export async function login(email, password) {
  const pair = await send('POST', '/api/v1/auth/login', {email, password}, false);
  adopt(pair);
}

export async function logout() {
  const ending = session;
  end();
  if (ending) {
    try {
      await fetch('/api/v1/auth/logout', {
        method: 'POST',
        headers: {'Content-Type': 'application/json', Authorization: `Bearer ${ending.accessToken}`},
        body: JSON.stringify({refreshToken: ending.refreshToken}),
      });
    } catch (ignored) {
      // The tokens are forgotten here either way; the refresh token expires on its own.
    }
  }
}

function adopt(pair) {
  session = {accessToken: pair.accessToken, refreshToken: pair.refreshToken};
  clearTimeout(refreshTimer);
  const seconds = Math.max(REFRESH_DELAY_MIN_SECONDS, (pair.expiresIn || 0) - REFRESH_MARGIN_SECONDS);
  refreshTimer = setTimeout(() => refresh().catch(() => {}), seconds * 1000);
}

function end(reason) {
  clearTimeout(refreshTimer);
  const had = session !== null;
  session = null;
  if (had && reason) {
    onSessionEnded(reason);
  }
}

/** Rotates the pair; concurrent callers share the one request. */
function refresh() {
  if (!session) {
    return Promise.reject(new ApiProblem(401, {detail: 'Not logged in.', code: 'unauthorized'}));
  }
  if (!refreshing) {
    const spent = session.refreshToken;
    refreshing = send('POST', '/api/v1/auth/refresh', {refreshToken: spent}, false)
      .then(adopt)
      .catch((problem) => {
        // Refused (spent, revoked or expired): the session is over. Anything else (network,
        // 503) may pass; the next 401 tries again with the same, still unspent token.
        if (problem instanceof ApiProblem && problem.status >= 400 && problem.status < 500) {
          end('Your session ended; please log in again.');
        }
        throw problem;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

/** GET a JSON resource; `query` values that are empty are left out. */
export function get(path, query) {
  return send('GET', withQuery(path, query), undefined, true);
}

export function post(path, body) {
  return send('POST', path, body, true);
}

export function withQuery(path, query) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(name, value);
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function send(method, path, body, authenticated, retried = false) {
  if (authenticated && refreshing) {
    await refreshing.catch(() => {});
  }
  const headers = {Accept: 'application/json, application/problem+json'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (authenticated) {
    if (!session) {
      throw new ApiProblem(401, {detail: 'Not logged in.', code: 'unauthorized'});
    }
    headers.Authorization = `Bearer ${session.accessToken}`;
  }
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && authenticated && !retried) {
    await refresh();
    return send(method, path, body, authenticated, true);
  }
  if (!response.ok) {
    throw new ApiProblem(response.status, await problemOf(response));
  }
  if (response.status === 204) {
    return null;
  }
  return response.json();
}

async function problemOf(response) {
  try {
    const problem = await response.json();
    return problem && typeof problem === 'object' ? problem : {};
  } catch (notJson) {
    return {};
  }
}

/**
 * Reads a server-sent event stream until `stop()` is called, reconnecting after every end or
 * failure with the last event id seen, so that no event is lost across a reconnect.
 *
 * handlers: onEvent({id, event, data}), onState('connecting'|'live'|'waiting'|'stopped', detail)
 * Returns {stop(), lastEventId()}.
 */
export function stream(path, handlers, startAfter = null) {
  let lastEventId = startAfter;
  let controller = null;
  let stopped = false;
  let retryMillis = STREAM_RETRY_DEFAULT_MILLIS;
  let failures = 0;
  let wakeTimer = null;

  const state = (name, detail) => handlers.onState && handlers.onState(name, detail);

  async function connect(retried401) {
    controller = new AbortController();
    state('connecting');
    const headers = {Accept: 'text/event-stream', Authorization: `Bearer ${session ? session.accessToken : ''}`};
    if (lastEventId !== null) {
      headers['Last-Event-ID'] = lastEventId;
    }
    const response = await fetch(path, {headers, signal: controller.signal, cache: 'no-store'});
    if (response.status === 401 && !retried401) {
      await refresh();
      return connect(true);
    }
    if (!response.ok) {
      throw new ApiProblem(response.status, await problemOf(response));
    }
    failures = 0;
    state('live');
    await readEvents(response.body, (frame) => {
      if (frame.retry !== null) {
        retryMillis = frame.retry;
      }
      if (frame.id !== null) {
        lastEventId = frame.id;
      }
      if (frame.data !== null) {
        handlers.onEvent(frame);
      }
    });
  }

  async function run() {
    while (!stopped) {
      let problem = null;
      try {
        await connect(false);
      } catch (error) {
        if (stopped) {
          break;
        }
        problem = error;
        failures += 1;
      }
      if (stopped || !session) {
        break;
      }
      const wait = Math.min(STREAM_RETRY_MAX_MILLIS, retryMillis * 2 ** Math.min(failures, 4));
      state('waiting', problem ? problem.message : 'The stream ended; reconnecting.');
      await new Promise((resolve) => {
        wakeTimer = setTimeout(resolve, failures === 0 ? retryMillis : wait);
      });
    }
    state('stopped');
  }

  run();
  return {
    stop() {
      stopped = true;
      clearTimeout(wakeTimer);
      if (controller) {
        controller.abort();
      }
    },
    lastEventId: () => lastEventId,
  };
}

/**
 * The text/event-stream format (HTML Living Standard, "Server-sent events"): lines end in CR, LF
 * or CRLF; a blank line dispatches; `field: value` with one optional space; lines starting with a
 * colon are comments.
 */
async function readEvents(body, dispatch) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let frame = emptyFrame();
  for (;;) {
    const {value, done} = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let end;
    while ((end = lineEnd(buffer)) !== null) {
      const line = buffer.slice(0, end.at);
      buffer = buffer.slice(end.at + end.length);
      if (line === '') {
        dispatch(frame);
        frame = emptyFrame();
      } else {
        field(frame, line);
      }
    }
  }
}

function lineEnd(buffer) {
  const cr = buffer.indexOf('\r');
  const lf = buffer.indexOf('\n');
  if (cr === -1 && lf === -1) {
    return null;
  }
  if (cr !== -1 && (lf === -1 || cr < lf)) {
    if (cr === buffer.length - 1) {
      return null; // a CR at the end may be the first half of CRLF: wait for more
    }
    return {at: cr, length: buffer[cr + 1] === '\n' ? 2 : 1};
  }
  return {at: lf, length: 1};
}

function emptyFrame() {
  return {event: 'message', data: null, id: null, retry: null};
}

function field(frame, line) {
  if (line.startsWith(':')) {
    return;
  }
  const colon = line.indexOf(':');
  const name = colon === -1 ? line : line.slice(0, colon);
  let value = colon === -1 ? '' : line.slice(colon + 1);
  if (value.startsWith(' ')) {
    value = value.slice(1);
  }
  if (name === 'event') {
    frame.event = value;
  } else if (name === 'data') {
    frame.data = frame.data === null ? value : `${frame.data}\n${value}`;
  } else if (name === 'id' && !value.includes('\0')) {
    frame.id = value;
  } else if (name === 'retry' && /^\d+$/.test(value)) {
    frame.retry = Number(value);
  }
}
