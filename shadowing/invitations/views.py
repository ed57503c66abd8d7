"""The invitations' pages: publishing, invite health, a published visit's log and changes, the
declines, the "can't make it" link and the private calendar feed. Each view only adapts: the
services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shadowing.invitations import selectors, services
from shadowing.invitations.compose import feed_ics, role_of, visit_context
from shadowing.invitations.forms import CancelForm, ChangeForm, DeclineForm
from shadowing.invitations.links import decline_claim
from shadowing.invitations.models import CalendarFeed
from shadowing.organisation.models import Person
from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import Decline, Pairing, PairingStatus
from shadowing.programmes.selectors import programmes_visible_to


def _programme(request: HttpRequest, slug: str, perm: str) -> Programme:
    """Fetch and authorise in one call: 404 for a programme the person may not see, 403 for one
    they see but may not act on."""
    programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
    if not request.user.has_perm(perm, programme):
        raise PermissionDenied
    return programme


def _pairing(request: HttpRequest, slug: str, pk: int, perm: str) -> Pairing:
    programme = _programme(request, slug, perm)
    return get_object_or_404(
        Pairing.objects.select_related(
            "programme", "executive__department", "agent", "site", "cancellation__by"
        ),
        programme=programme,
        pk=pk,
    )


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# Publishing -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def programme_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: what publishing will do (how many visits, how many messages). POST: publish."""
    programme = _programme(request, slug, "shadowing.publish_programme")
    if request.method == "POST":
        try:
            result = services.programme_publish(programme=programme, by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("invitations:publish", slug=programme.slug)
        messages.success(
            request,
            ngettext("Published %(n)d visit.", "Published %(n)d visits.", result.published)
            % {"n": result.published}
            + " "
            + ngettext(
                "%(n)d invitation is on its way.",
                "%(n)d invitations are on their way.",
                result.messages,
            )
            % {"n": result.messages},
        )
        return redirect("invitations:programme", slug=programme.slug)
    preview = services.programme_publish_preview(programme=programme)
    return render(
        request,
        "shadowing/invitations/publish.html",
        {"programme": programme, "preview": preview},
    )


# Invite health ----------------------------------------------------------------------------------


@login_required
def programme_invitations(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's invitations at a glance: counts, failures, open declines."""
    programme = _programme(request, slug, "shadowing.view_invitationlog")
    health = selectors.programme_invite_health(programme)
    trouble = Paginator(selectors.programme_trouble(programme), 50).get_page(
        request.GET.get("page")
    )
    declines = list(selectors.open_declines(programme)[:200])
    return render(
        request,
        "shadowing/invitations/programme.html",
        {
            "programme": programme,
            "health": health,
            "page": trouble,
            "declines": declines,
            "preview": services.programme_publish_preview(programme=programme),
        },
    )


@login_required
@require_POST
def declines_repair(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, "shadowing.repair_declines")
    try:
        cancelled, _run = services.declines_repair(programme=programme, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("invitations:programme", slug=programme.slug)
    messages.success(
        request,
        ngettext(
            "%(n)d declined visit cancelled; pairing again to find that person another visit. "
            "Publish the new proposals when the run is done.",
            "%(n)d declined visits cancelled; pairing again to find those people another visit. "
            "Publish the new proposals when the run is done.",
            cancelled,
        )
        % {"n": cancelled},
    )
    return redirect("shadowing:programme", slug=programme.slug)


@login_required
def pairing_invitations(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One visit: its messages (who, what, which sequence, when, how it went), its declines,
    and for a coordinator the forms to cancel or change it."""
    pairing = _pairing(request, slug, pk, "shadowing.view_invitationlog")
    with timezone.override(pairing.site.zone):
        context = {
            "programme": pairing.programme,
            "pairing": pairing,
            "log": list(selectors.pairing_log(pairing)[:200]),
            "declines": list(Decline.objects.filter(pairing=pairing).select_related("person")[:50]),
            "visit": visit_context(pairing, None, role="coordinator"),
            "cancel_form": CancelForm(),
            "change_form": ChangeForm(),
            "cancellation": getattr(pairing, "cancellation", None),
        }
        return render(request, "shadowing/invitations/pairing.html", context)


@login_required
@require_POST
def pairing_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    pairing = _pairing(request, slug, pk, "shadowing.cancel_pairing")
    form = CancelForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        was_published = pairing.status == PairingStatus.PUBLISHED
        try:
            services.pairing_cancel(
                pairing=pairing, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("The visit is cancelled; both people are sent a cancellation.")
                if was_published
                else _("The pairing is cancelled."),
            )
    return redirect("invitations:pairing", slug=slug, pk=pairing.pk)


@login_required
@require_POST
def pairing_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    pairing = _pairing(request, slug, pk, "shadowing.reassign_pairing")
    form = ChangeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            services.pairing_reassign(
                pairing=pairing,
                by=request.user,
                agent=form.cleaned_data.get("agent"),
                date=form.cleaned_data.get("date"),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The visit is changed; the people concerned are told."))
    return redirect("invitations:pairing", slug=slug, pk=pairing.pk)


# "Can't make it" --------------------------------------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the visit and asks (mail scanners fetch links, and must not decline); POST
    declines. The signed link is the permission: no sign-in needed."""
    claim = decline_claim(token)
    pairing = person = None
    if claim is not None:
        pairing = (
            Pairing.objects.select_related("programme", "executive", "agent", "site")
            .filter(uid=claim.pairing_uid)
            .first()
        )
        person = Person.objects.filter(pk=claim.person_id, is_active=True).first()
    if pairing is None or person is None:
        return render(request, "shadowing/invitations/decline_invalid.html", status=404)
    with translation.override(person.preferred_language), timezone.override(pairing.site.zone):
        role = role_of(pairing, person)
        context = {
            "pairing": pairing,
            "person": person,
            "visit": visit_context(pairing, person, role=role),
            "form": DeclineForm(request.POST or None),
            "already": Decline.objects.filter(
                pairing=pairing, person=person, sequence=pairing.sequence
            ).exists(),
        }
        if request.method == "POST" and context["form"].is_valid():
            try:
                services.pairing_decline(
                    pairing=pairing, person=person, reason=context["form"].cleaned_data["reason"]
                )
            except ValidationError as exc:
                context["refused"] = exc.messages
            else:
                return render(request, "shadowing/invitations/decline_done.html", context)
        elif pairing.status != PairingStatus.PUBLISHED or role not in ("executive", "agent"):
            context["refused"] = [_("This visit is no longer planned for you: nothing to do.")]
        return render(request, "shadowing/invitations/decline.html", context)


# The private calendar feed ----------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "HEAD"])
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's published visits as an iCalendar subscription; 404 once revoked."""
    person = selectors.feed_person(token)
    if person is None:
        raise Http404
    now = timezone.now()
    body = feed_ics(selectors.feed_pairings(person, now=now), person=person, now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="shadowing.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed_settings(request: HttpRequest) -> HttpResponse:
    """Make (or replace) and revoke one's private calendar address. Its secret is shown once,
    right after it is made, on the page the POST answers."""
    person = request.user
    if not person.has_perm("shadowing.edit_profile", person):
        raise PermissionDenied
    context = {}
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if services.calendar_feed_revoke(person=person):
                messages.success(request, _("Your calendar address is stopped."))
            return redirect("invitations:feed-settings")
        token = services.calendar_feed_create(person=person)
        path = reverse("invitations:feed", args=[token])
        url = request.build_absolute_uri(path)
        context.update(feed_url=url, webcal_url="webcal://" + url.split("://", 1)[1])
    context["feed"] = CalendarFeed.objects.filter(person=person).first()
    response = render(request, "shadowing/invitations/feed_settings.html", context)
    response["Cache-Control"] = "no-store"
    return response
