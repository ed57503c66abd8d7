"""Sign-in by one-time link, sign-out, the profile, and the admin's door.

People have no passwords: they ask for a link by e-mail (or a coordinator prints one with
`manage.py login_link`), open it, and press "Sign in". The forms are tiny and used only here, so
they live beside their views.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shadowing import clock
from shadowing.organisation.middleware import (
    SESSION_SEEN_AT,
    SESSION_SIGNED_IN_AT,
    SESSION_TIMED_OUT,
)
from shadowing.organisation.models import Role
from shadowing.organisation.profile import person_profile_update
from shadowing.organisation.sign_in import (
    SignInRateLimited,
    client_address,
    sign_in_link_person,
    sign_in_link_redeem,
    sign_in_link_request,
)

# Several backends are configured (rules first); sign-in by link always means this one.
AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignInForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)


class ProfileForm(forms.Form):
    ui_language = forms.ChoiceField(
        label=gettext_lazy("Language of the interface"), choices=settings.LANGUAGES
    )
    hosting_opt_out = forms.BooleanField(
        label=gettext_lazy("Do not ask me to host executives"), required=False
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        if not person.is_agent:
            del self.fields["hosting_opt_out"]


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    """`candidate` if it is a place on this site, else an empty string."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _next_from(request: HttpRequest) -> str:
    return _safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    # The cookie keeps the chosen language after sign-out, when the profile no longer applies.
    # Set as Django's own set_language sets it, so LocaleMiddleware reads it back.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or settings.SESSION_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
    )
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: mail a link, and answer the same whether or not the address is
    known."""
    next_url = _next_from(request)
    context = {"next": next_url, "minutes": settings.SIGN_IN_LINK_MINUTES}
    if request.method == "POST":
        form = SignInForm(request.POST)
        if form.is_valid():
            try:
                sign_in_link_request(
                    email=form.cleaned_data["email"],
                    client=client_address(request),
                    next_url=next_url,
                )
            except SignInRateLimited as exc:
                response = render(
                    request,
                    "shadowing/sign_in.html",
                    {**context, "form": form, "rate_limited": True},
                    status=429,
                )
                response["Retry-After"] = str(exc.retry_after)
                return response
            return render(request, "shadowing/sign_in_sent.html", context)
    else:
        form = SignInForm()
        context["timed_out"] = request.session.pop(SESSION_TIMED_OUT, False)
    return render(request, "shadowing/sign_in.html", {**context, "form": form})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_with_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation and spends nothing (mail scanners fetch links); POST signs in."""
    next_url = _next_from(request)
    if request.method == "GET":
        person = sign_in_link_person(token=token)
    else:
        person = sign_in_link_redeem(token=token)
    if person is None:
        # 410 for unknown, used and expired alike: telling them apart helps only a guesser.
        return render(
            request,
            "shadowing/sign_in_link_invalid.html",
            {"next": next_url, "minutes": settings.SIGN_IN_LINK_MINUTES},
            status=410,
        )
    if request.method == "GET":
        return render(
            request, "shadowing/sign_in_confirm.html", {"person": person, "next": next_url}
        )
    login(request, person, backend=AUTH_BACKEND)  # a new session key: no fixation
    now = clock.timestamp()
    request.session[SESSION_SIGNED_IN_AT] = now
    request.session[SESSION_SEEN_AT] = now
    response = redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return _remember_language(response, person.preferred_language)


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    """POST signs out. GET (a typed or bookmarked URL) only asks, so that no link or prefetch
    can sign anyone out."""
    if request.method == "GET":
        return render(request, "shadowing/sign_out.html")
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The person's own details; they choose the interface language and, as an agent, whether
    they host."""
    person = request.user
    if not person.has_perm("shadowing.edit_profile", person):
        raise PermissionDenied
    if request.method == "POST":
        form = ProfileForm(request.POST, person=person)
        if form.is_valid():
            try:
                person_profile_update(
                    person=person,
                    ui_language=form.cleaned_data["ui_language"],
                    hosting_opt_out=form.cleaned_data.get("hosting_opt_out"),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                # Said in the language just chosen, which the next page will speak.
                with translation.override(person.ui_language):
                    messages.success(request, _("Your profile is saved."))
                return _remember_language(redirect("shadowing:profile"), person.ui_language)
    else:
        form = ProfileForm(
            person=person,
            initial={
                "ui_language": person.preferred_language,
                "hosting_opt_out": person.hosting_opt_out,
            },
        )
    roles = [_role_label(role) for role in person.roles]
    return render(request, "shadowing/profile.html", {"form": form, "roles": roles})


def _role_label(role: str) -> str:
    return str(Role(role).label)


@login_not_required
@require_POST
def profile_language(request: HttpRequest) -> HttpResponse:
    """The footer's language switcher for a signed-in person: it saves to the profile, which is
    what the interface follows (PersonLanguageMiddleware), so the two never disagree. For a
    visitor it behaves like Django's set_language."""
    next_url = _next_from(request) or reverse("shadowing:home")
    response = HttpResponseRedirect(next_url)
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        person_profile_update(person=request.user, ui_language=language)
    return _remember_language(response, language)


@login_not_required
@never_cache
def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """Stands in for the admin's password form (people have no passwords): a visitor goes to
    the sign-in page and comes back; a signed-in person who is not a coordinator is refused."""
    next_url = _next_from(request) or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url, reverse("shadowing:sign-in"))
    if admin.site.has_permission(request):
        return redirect(next_url)
    return render(request, "shadowing/admin_forbidden.html", status=403)
