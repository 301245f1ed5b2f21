"""The log API, derived from the registry of kinds: /api/v1/<slug>/ list, create,
retrieve, update, delete (and <id>/photos/ for kinds with photos) for every kind, and
the token endpoint.

The rules live in villages.roles, villages.logs.services and each kind's `validate`;
this module only turns their outcomes into HTTP: ValidationError -> 400 per field,
PermissionDenied -> 403, LogConflict -> 409, a retry -> 200 with the stored log.
Each kind's serializer is a ModelSerializer made from its field list
(`serializer_for`); related records are named by their slug (or the kind's `refs`).
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action as drf_action
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.settings import api_settings

from villages import roles, tokens
from villages.input_guard import PARSERS, GuardedFormParser, GuardedMultiPartParser
from villages.models import Village

from . import kinds
from .filters import LogFilterSet
from .services import LogConflict, check_can_edit, review_logs


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


class IsSignedIn(permissions.BasePermission):
    message = _("Sign in first (a session, or the header Authorization: Token <token>).")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)


class LogSerializer(serializers.ModelSerializer):
    """What every log shows and takes; `serializer_for(kind)` adds the kind's fields."""

    id = serializers.IntegerField(read_only=True)
    client_uuid = serializers.UUIDField()  # no uniqueness check here: a retry is welcome
    village = serializers.SlugRelatedField(slug_field="slug", queryset=Village.objects.all())
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    status = serializers.CharField(read_only=True)
    rejection_reason = serializers.CharField(read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    HEAD = ("id", "client_uuid")
    TAIL = ("status", "rejection_reason", "author", "created_at", "updated_at")

    def validate_client_uuid(self, value):
        if self.instance is not None and value != self.instance.client_uuid:
            raise serializers.ValidationError(_("The client_uuid of a stored log cannot change."))
        return value


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    image = serializers.ImageField(read_only=True, use_url=True)
    thumbnail = serializers.ImageField(read_only=True, use_url=True)
    caption = serializers.CharField(read_only=True)


def _related_field(kind, name):
    f = kind.model_field(name)
    return serializers.SlugRelatedField(
        slug_field=kind.ref(name),
        queryset=f.related_model._default_manager.all(),
        required=not (f.blank or f.has_default()),
        allow_null=f.null,
    )


def serializer_for(kind):
    """A ModelSerializer of the kind's fields (its `serializer_base` adds what differs)."""
    base = kind.serializer_base or LogSerializer
    attrs = {
        name: _related_field(kind, name)
        for name in kind.shown_fields
        if name not in base._declared_fields and kind.model_field(name).is_relation
    }
    shown = list(kind.shown_fields)
    extra = [
        n
        for n in base._declared_fields
        if n not in LogSerializer._declared_fields and n not in shown
    ]
    # A kind's extra fields (e.g. an action's species) follow the field they belong after.
    for name in extra:
        after = getattr(base, "PLACE_AFTER", {}).get(name)
        shown.insert(shown.index(after) + 1 if after in shown else len(shown) - 1, name)
    if kind.photos and kind.photos not in shown:
        shown.append(kind.photos)
        attrs[kind.photos] = PhotoSerializer(many=True, read_only=True)
    meta = type(
        "Meta",
        (),
        {
            "model": kind.model,
            "fields": [*LogSerializer.HEAD, *shown, *LogSerializer.TAIL],
            "read_only_fields": [
                n for n in shown if _is_model_field(kind, n) and not kind.model_field(n).editable
            ],
        },
    )
    attrs["Meta"] = meta
    return type(f"{kind.model.__name__}Serializer", (base,), attrs)


def _is_model_field(kind, name) -> bool:
    try:
        kind.model_field(name)
    except FieldDoesNotExist:
        return False
    return True


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
            {
                self.page_size_query_param: [
                    _("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                ]
            }
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
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Required to reject: the coordinator reads it.",
    )


class LogViewSet(viewsets.ModelViewSet):
    """list / create / retrieve / update / delete for one log kind, scoped by villages.roles.

    `viewset_for(kind)` makes one per kind. Create answers 201 for a new log and 200 for
    a retry of a stored one.
    """

    kind = None  # set by viewset_for
    permission_classes = [IsSignedIn]  # authentication: Token or session (settings)
    filter_backends = [DjangoFilterBackend]
    filterset_class = LogFilterSet  # a kind with filters of its own sets a subclass
    pagination_class = LogCursorPagination
    parser_classes = PARSERS
    lookup_value_regex = r"\d+"
    # For the schema (villages.openapi): a retry with other content, or a verified log, is a 409.
    schema_error_statuses = {
        "create": [409],
        "update": [409],
        "partial_update": [409],
        "destroy": [409],
        "review": [409],
    }

    def get_queryset(self):
        return self.kind.list_for(self.request.user)

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

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        log, created = call_service(
            self.kind.create, author=request.user, data=serializer.validated_data
        )
        body = self.get_serializer(self.get_queryset().get(pk=log.pk)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def update(self, request, *args, **kwargs):
        log = self.get_object()
        if roles.edit_refusal(request.user, log):
            # Refuse before validating, so the client learns the real reason.
            call_service(check_can_edit, user=request.user, log=log)
        serializer = self.get_serializer(
            log, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        call_service(self.kind.update, user=request.user, log=log, data=serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=log.pk)).data)

    def destroy(self, request, *args, **kwargs):
        log = self.get_object()
        call_service(self.kind.delete, user=request.user, log=log)
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


class PhotosMixin:
    """POST <id>/photos/ for a kind with photos."""

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "image": {"type": "string", "format": "binary"},
                    "caption": {"type": "string"},
                },
            }
        },
        responses={201: PhotoSerializer},
    )
    @drf_action(
        detail=True, methods=["post"], parser_classes=[GuardedMultiPartParser, GuardedFormParser]
    )
    def photos(self, request, pk=None):
        """Attach a photo (multipart field `image`, optional `caption`)."""
        log = self.get_object()
        upload = request.FILES.get("image")
        if upload is None:
            return Response(
                {"image": [_("Attach the photo as the multipart field 'image'.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        photo = call_service(
            self.kind.add_photo,
            user=request.user,
            log=log,
            fileobj=upload,
            caption=request.data.get("caption", ""),
        )
        return Response(
            PhotoSerializer(photo, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


def viewset_for(kind):
    bases = (PhotosMixin, LogViewSet) if kind.photos else (LogViewSet,)
    with translation.override("en"):  # the schema's description
        doc = f"{kind.label} of the villages you coordinate (AMO: all villages)."
    return type(
        f"{kind.model.__name__}ViewSet",
        bases,
        {
            "kind": kind,
            "serializer_class": kind.serializer,
            "filterset_class": kind.filterset,
            "__doc__": doc,
        },
    )


def router():
    """Routes of every registered kind (backend/urls.py includes them under /api/v1/)."""
    routes = SimpleRouter()
    for kind in kinds.all_kinds():
        if kind.derived_api:
            routes.register(kind.slug, kind.viewset, basename=kind.api_basename)
    return routes


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
