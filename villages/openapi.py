"""The OpenAPI schema's AutoSchema: drf-spectacular's, plus the error answers an operation can give.

drf-spectacular documents the success answer only. A client (and the fuzz test,
tests/test_api_fuzz.py) needs the errors too, so each operation also lists:

- 400 always: the input guard (villages.input_guard) answers 400 for a NUL or a
  control character in any parameter or the address, and every parameter and
  body is validated (a message per field);
- 401 when an authenticator can ask for credentials (a bad or missing token);
- 403 when the view's permissions are more than AllowAny, or a session's CSRF
  check applies (a write);
- 404 when the path has a parameter (no such village, log, place);
- 429 when the view has throttles;
- whatever the view declares in `schema_error_statuses` ({action or method: codes}),
  e.g. 409 for a log that is verified or a retry with other content.
"""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "A message (or list of messages) per field, e.g. "
    '{"village": ["No village with slug \'x\'."]}, or {"detail": "..."} when the body '
    "cannot be read.",
    "additionalProperties": True,
}
ERRORS = {
    "400": (FIELD_ERRORS, "A parameter, a field or the address is not acceptable."),
    "401": (DETAIL, "Credentials are missing or wrong (header Authorization: Token <token>)."),
    "403": (DETAIL, "Not allowed for this account."),
    "404": (DETAIL, "Not found (or not visible to this account)."),
    "409": (DETAIL, "Conflicts with the stored state (e.g. a verified log is read-only)."),
    "429": (DETAIL, "Too many requests or failed sign-ins; try again later."),
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(openapi.AutoSchema):
    def _error_statuses(self) -> set[str]:
        view = self.view
        codes = {"400"}
        authenticators = view.get_authenticators()
        if any(a.authenticate_header(view.request) for a in authenticators):
            codes.add("401")
        permissions = view.get_permissions()
        csrf = any(isinstance(a, SessionAuthentication) for a in authenticators)
        if any(not isinstance(p, AllowAny) for p in permissions) or (
            self.method in UNSAFE and csrf
        ):
            codes.add("403")
        if "{" in self.path:
            codes.add("404")
        if view.get_throttles():
            codes.add("429")
        declared = getattr(view, "schema_error_statuses", {})
        action = getattr(view, "action", None)
        for key in (action, self.method.lower()):
            codes.update(str(code) for code in declared.get(key, ()))
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in sorted(self._error_statuses()):
            if code not in responses:
                schema, description = ERRORS[code]
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(schema, description), code, direction=direction
                )
        return responses
