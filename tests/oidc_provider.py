"""A small OpenID Connect provider for tests, on 127.0.0.1: authorization code flow, userinfo, ID tokens with
group claims. Who logs in next is set by the test (``provider.volgende = "gina"``), as a person would pick their
account at the institution's login page. Tokens are HS256-signed with a key of this provider.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Provider:
    """``mensen``: username -> claims (e.g. ``{"eduperson_entitlement": [...]}``); ``alleen_id_token``: claims that
    only the ID token carries (as Entra ID does with ``groups``)."""

    def __init__(self, mensen: dict[str, dict], *, client_id: str, client_secret: str,
                 alleen_id_token: tuple[str, ...] = ()):
        self.mensen, self.client_id, self.client_secret = mensen, client_id, client_secret
        self.alleen_id_token = alleen_id_token
        self.volgende: str | None = None
        self.codes: dict[str, str] = {}
        self.tokens: dict[str, str] = {}
        self.key = secrets.token_bytes(32)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Provider":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def id_token(self, naam: str) -> str:
        claims = {"iss": self.url, "sub": naam, "aud": self.client_id, "iat": int(time.time()),
                  "exp": int(time.time()) + 300, "preferred_username": naam, **self.mensen[naam]}
        head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = _b64(json.dumps(claims).encode())
        sig = _b64(hmac.new(self.key, f"{head}.{body}".encode(), hashlib.sha256).digest())
        return f"{head}.{body}.{sig}"

    def userinfo(self, naam: str) -> dict:
        claims = {k: v for k, v in self.mensen[naam].items() if k not in self.alleen_id_token}
        return {"sub": naam, "preferred_username": naam, **claims}

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _json(self, status: int, data: dict) -> None:
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/authorize":
                    if query.get("client_id") != provider.client_id or provider.volgende is None:
                        return self._json(400, {"error": "invalid_request"})
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = provider.volgende
                    target = query["redirect_uri"] + "?" + urllib.parse.urlencode(
                        {"code": code, "state": query.get("state", "")})
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                    return None
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
                    naam = provider.tokens.get(token)
                    return self._json(200, provider.userinfo(naam)) if naam else self._json(401, {"error": "token"})
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if self.path != "/token":
                    return self._json(404, {"error": "not_found"})
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    client, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                else:
                    client, secret = form.get("client_id"), form.get("client_secret")
                if (client, secret) != (provider.client_id, provider.client_secret):
                    return self._json(401, {"error": "invalid_client"})
                naam = provider.codes.pop(form.get("code", ""), None)
                if naam is None:
                    return self._json(400, {"error": "invalid_grant"})
                token = secrets.token_urlsafe(24)
                provider.tokens[token] = naam
                return self._json(200, {"access_token": token, "token_type": "Bearer", "expires_in": 300,
                                        "id_token": provider.id_token(naam), "scope": "openid profile email"})

        return Handler
