"""API permissions that ask `rules`, so that the API decides exactly as the pages and the admin.

Any app's viewset can use `RulesPermission`: each action maps to a verb on the viewset's model
(`list`/`retrieve` -> view, `create` -> add, `update`/`partial_update` -> change, `destroy` ->
delete), checked as `app_label.verb_model`; custom actions name their permission in the view's
`rules_permissions = {"claim": "barriers.claim_barrier"}`. For a view without a model,
`rules_permission("shadowing.import_roster")` makes a permission class for one named rule.

Objects follow CONTRACT.md: one you may not see answers 404 (its existence is not leaked), one
you may see but not touch answers 403.
"""

from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission

ACTION_VERBS = {
    "list": "view",
    "retrieve": "view",
    "metadata": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


def _signed_in(request) -> bool:
    user = request.user
    return bool(user and user.is_authenticated and user.is_active)


def _model_perm(view, verb: str) -> str:
    queryset = getattr(view, "queryset", None)
    model = queryset.model if queryset is not None else view.get_queryset().model
    return f"{model._meta.app_label}.{verb}_{model._meta.model_name}"


class RulesPermission(BasePermission):
    def permission_for(self, request, view) -> str | None:
        """The rule to check for this request, or None when no rule allows it."""
        action = getattr(view, "action", None)
        custom = getattr(view, "rules_permissions", {})
        if action in custom:
            return custom[action]
        verb = ACTION_VERBS.get(action)
        if verb is None and action is None and request.method in SAFE_METHODS:
            verb = "view"
        return _model_perm(view, verb) if verb else None

    def has_permission(self, request, view) -> bool:
        if not _signed_in(request):
            return False
        if getattr(view, "detail", False):
            return True  # decided object by object, in has_object_permission
        perm = self.permission_for(request, view)
        return perm is not None and request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj) -> bool:
        if not request.user.has_perm(_model_perm(view, "view"), obj):
            raise NotFound
        perm = self.permission_for(request, view)
        return perm is not None and request.user.has_perm(perm, obj)


def rules_permission(perm: str) -> type[BasePermission]:
    """A permission class allowing signed-in people who have the rule `perm`."""

    class HasRule(BasePermission):
        def has_permission(self, request, view) -> bool:
            return _signed_in(request) and request.user.has_perm(perm)

    HasRule.__name__ = HasRule.__qualname__ = f"HasRule[{perm}]"
    return HasRule
