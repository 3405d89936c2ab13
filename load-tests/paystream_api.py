"""The API calls the benchmark scripts share (sse/fan-out-bench.py, wrk/recent-vs-latest-bench.py).

Standard library only, so a script needs nothing installed. Each setup helper asserts the
contract's status, so a benchmark stops at the first call that did not do what it set up.
"""
import json
import time
import urllib.error
import urllib.request
import uuid


def _send(base, method, path, body=None, token=None, key=None):
    """One request; (status, JSON document or text, response headers)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if key:
        request.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read().decode()
            return (answer.status, (json.loads(text) if text[:1] in ("{", "[") else text),
                    answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers


def call(base, method, path, body=None, token=None, key=None):
    """One request; (status, JSON document or text)."""
    status, document, _ = _send(base, method, path, body, token, key)
    return status, document


def call_patiently(base, method, path, body=None, token=None, attempts=10):
    """A call that waits out 429s as a client should (Retry-After), for onboarding many users
    from one address: registrations and logins are limited per address and minute."""
    for _ in range(attempts - 1):
        status, document, headers = _send(base, method, path, body, token)
        if status != 429:
            return status, document
        time.sleep(int(headers.get("Retry-After") or 5))
    return call(base, method, path, body, token)


def customer(base, email, password, name):
    """Registers a customer and logs in; their access token."""
    status, _ = call_patiently(base, "POST", "/api/v1/auth/register",
                               {"email": email, "password": password, "name": name})
    assert status == 201, f"register {email}: {status}"
    status, login = call_patiently(base, "POST", "/api/v1/auth/login",
                                   {"email": email, "password": password})
    assert status == 200, f"login {email}: {status} {login}"
    return login["accessToken"]


def open_account(base, token, currency="EUR"):
    """Opens an account; its id."""
    status, account = call(base, "POST", "/api/v1/accounts", {"currency": currency}, token)
    assert status == 201, f"account: {status} {account}"
    return account["id"]


def deposit(base, token, account, amount, reference, currency="EUR"):
    """Deposits into the account, with an Idempotency-Key of its own."""
    status, answer = call(base, "POST", "/api/v1/deposits",
                          {"accountId": account, "amount": amount, "currency": currency,
                           "reference": reference}, token, key=str(uuid.uuid4()))
    assert status == 201, f"deposit: {status} {answer}"
