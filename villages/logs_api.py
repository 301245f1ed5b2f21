"""API plumbing shared by every kind of village log: authentication, scoping, filters,
error mapping.

The rules live in villages.roles and in each app's services; this module only
turns their outcomes into HTTP: ValidationError -> 400 per field,
PermissionDenied -> 403, LogConflict -> 409, a retry -> 200 with the stored log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.pagination import CursorPagination
from django_filters import ChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from . import roles, tokens
from .input_guard import PARSERS
from .log_filters import LogFilterSet
from .logs import LogConflict, review_logs


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This request conflicts with the stored log.")
    default_code = "conflict"


def call_service(fn, **kwargs):
    """Run a service; translate its exceptions into DRF's."""
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        raise exceptions.ValidationError(detail) from None
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from None
    except LogConflict as exc:
        raise Conflict({"detail": exc.message, "code": exc.code}) from None


class LogCursorPagination(CursorPagination):
    """Log lists come a page at a time: {"next", "previous", "results"}; follow `next`.

    Most recently changed first, so a field app asking `updated_since` its last sync
    gets what AMO decided since then on the first page.
    """

    ordering = ("-updated_at", "-id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        # DRF would quietly use the default for a bad page_size: say what is wrong instead.
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        if len(values) == 1 and values[0].isdigit() and 1 <= int(values[0]) <= self.max_page_size:
            return int(values[0])
        raise exceptions.ValidationError(
            {self.page_size_query_param: [
                _("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            ]}
        )

    def decode_cursor(self, request):
        values = request.query_params.getlist(self.cursor_query_param)
        try:
            if len(values) > 1:
                raise exceptions.NotFound()
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {self.cursor_query_param: [_("Not a cursor from this list: follow `next`.")]}
            ) from None


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("verify", "verify"), ("reject", "reject")])
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000,
        help_text="Required to reject: the coordinator reads it.",
    )


class IsSignedIn(permissions.BasePermission):
    message = _("Sign in first (a session, or the header Authorization: Token <token>).")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)


class LogViewSet(viewsets.ModelViewSet):
    """list / create / retrieve / update / delete for a log model, scoped by villages.roles.

    Subclasses set `serializer_class`, `base_queryset()` and the three service
    hooks (and `filterset_class` for filters beyond villages.log_filters.LogFilterSet). Create answers 201 for a new log and 200 for a retry of a stored one.
    """

    permission_classes = [IsSignedIn]  # authentication: Token or session (settings)
    pagination_class = LogCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = LogFilterSet  # a kind with filters of its own sets a subclass
    parser_classes = PARSERS
    lookup_value_regex = r"\d+"
    # For the schema (villages.openapi): a retry with other content, or a verified log, is a 409.
    schema_error_statuses = {"create": [409], "update": [409], "partial_update": [409],
                             "destroy": [409], "review": [409]}

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return roles.logs_visible_to(self.request.user, self.base_queryset())

    def filter_queryset(self, queryset):
        # The list's filters (a malformed one is a 400 naming the field); a single log is
        # looked up unfiltered.
        if self.action != "list":
            return queryset
        # An empty choice ("status=") is not a choice: a 400, not the unfiltered list.
        empty = [
            name
            for name, spec in self.filterset_class.base_filters.items()
            if isinstance(spec, ChoiceFilter) and self.request.query_params.get(name, None) == ""
        ]
        if empty:
            raise exceptions.ValidationError(
                {name: [_("Give one of the listed values, or leave this out.")] for name in empty}
            )
        return super().filter_queryset(queryset)

    def service_create(self, *, user, data):
        raise NotImplementedError

    def service_update(self, *, user, log, data):
        raise NotImplementedError

    def service_delete(self, *, user, log):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        log, created = call_service(
            self.service_create, user=request.user, data=serializer.validated_data
        )
        body = self.get_serializer(self.get_queryset().get(pk=log.pk)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def update(self, request, *args, **kwargs):
        log = self.get_object()
        refusal = roles.edit_refusal(request.user, log)
        if refusal:
            # Refuse before validating, so the client learns the real reason.
            call_service(self._refuse, log=log)
        serializer = self.get_serializer(
            log, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        call_service(
            self.service_update, user=request.user, log=log, data=serializer.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=log.pk)).data)

    def _refuse(self, *, log):
        from .logs import check_can_edit

        check_can_edit(user=self.request.user, log=log)

    def destroy(self, request, *args, **kwargs):
        log = self.get_object()
        call_service(self.service_delete, user=request.user, log=log)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ReviewSerializer)
    @drf_action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """AMO verifies or rejects this log, as on /review/: AMO reviewers only, never their
        own log (four eyes, 403), a reason to reject (400), 409 when already decided."""
        log = self.get_object()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call_service(
            review_logs,
            logs=[log],
            reviewer=request.user,
            decision=serializer.validated_data["decision"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=log.pk)).data)


class TokenView(ObtainAuthToken):
    """POST username and password, get {"token": "..."}; wrong credentials get a 400.
    DELETE with `Authorization: Token <token>` revokes that token (signing out): 204.

    One token per user, reused while valid; a sign-out or a password change revokes
    it and the next sign-in gets a new one (villages.tokens). The plain Django
    request goes to authenticate() so django-axes counts the failures and locks out
    after AXES_FAILURE_LIMIT, as on the sign-in page.
    """

    renderer_classes = [JSONRenderer]
    parser_classes = PARSERS
    # ObtainAuthToken switches throttling off; sign-ins are writes like any other.
    throttle_classes = api_settings.DEFAULT_THROTTLE_CLASSES
    schema_error_statuses = {"post": [429]}  # django-axes locks out after failed sign-ins

    def _signing_out(self) -> bool:
        return getattr(self.request, "method", None) == "DELETE"

    def get_authenticators(self):
        # Signing in reads no credentials but the posted ones (and needs no CSRF
        # token); signing out needs the token being revoked.
        return [TokenAuthentication()] if self._signing_out() else []

    def get_permissions(self):
        return [IsSignedIn()] if self._signing_out() else []

    def get_serializer_context(self):
        return {"request": self.request._request, "format": self.format_kwarg, "view": self}

    @extend_schema(
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Wrong or missing username or password."),
            429: OpenApiResponse(description="Locked out after failed sign-ins, or throttled."),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # Answered, not raised: a raised error would roll back the request's
            # transaction (ATOMIC_REQUESTS) and with it django-axes' failure count.
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        token = tokens.issue_token(user=serializer.validated_data["user"])
        return Response({"token": token.key})

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="The token is revoked."),
            401: OpenApiResponse(description="No valid token was sent."),
        },
    )
    def delete(self, request, *args, **kwargs):
        Token.objects.filter(key=request.auth.key).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
