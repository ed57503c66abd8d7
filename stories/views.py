"""The stories pages: the executive's story form, the agent's consent page, the curators' page
(stories, the digest's recipients, the PDF) and "you said, we did" for everyone signed in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from debriefs.services.drafts import debrief_filing_refusal, debrief_get_or_create
from shadowing.programmes.selectors import pairings_visible_to

from .consent import consent_story
from .forms import DigestSettingsForm, StoryForm
from .models import Digest, StoriesSettings, Story, StoryStatus
from .pdf import digest_pdf
from .selectors import (
    previous_week,
    stories_visible_to,
    story_agent_label,
    week_bounds,
    you_said_we_did,
)
from .services import (
    ConsentClosed,
    digest_content,
    story_consent_answer,
    story_create,
    story_curate,
    story_delete,
    story_uncurate,
    story_update,
)

PAGE_SIZE = 20


def _form_errors_from(error: ValidationError, form) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def story_new(request: HttpRequest, pairing_id: int) -> HttpResponse:
    pairing = get_object_or_404(pairings_visible_to(request.user), pk=pairing_id)
    if pairing.executive_id != request.user.pk:
        raise Http404
    refusal = debrief_filing_refusal(pairing=pairing, by=request.user)
    if refusal:
        return render(request, "stories/refused.html", {"message": refusal}, status=403)
    stories = Story.objects.filter(debrief__pairing=pairing).order_by("created_at", "pk")
    form = StoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        debrief, _created = debrief_get_or_create(pairing=pairing, by=request.user)
        try:
            story_create(debrief=debrief, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(error, form)
        else:
            messages.success(request, _("Story saved."))
            return redirect("stories:story-new", pairing_id=pairing.pk)
    return render(
        request,
        "stories/story_form.html",
        {"form": form, "pairing": pairing, "stories": stories, "story": None},
        status=400 if form.errors else 200,
    )


def _own_story(request, pk: int) -> Story:
    story = get_object_or_404(stories_visible_to(request.user), pk=pk)
    if story.debrief.pairing.executive_id != request.user.pk:
        raise Http404
    return story


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = _own_story(request, pk)
    pairing = story.debrief.pairing
    if not request.user.has_perm("stories.change_story", story):
        return render(
            request,
            "stories/refused.html",
            {"message": _("This story was curated: it can no longer change.")},
            status=403,
        )
    initial = {"saw": story.saw, "agent_did": story.agent_did, "name_agent": story.name_agent}
    form = StoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.POST.get("action") == "delete":
        story_delete(story=story, by=request.user)
        messages.success(request, _("Story deleted."))
        return redirect("stories:story-new", pairing_id=pairing.pk)
    if request.method == "POST" and form.is_valid():
        try:
            story_update(story=story, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(error, form)
        else:
            messages.success(request, _("Story saved."))
            return redirect("stories:story-new", pairing_id=pairing.pk)
    return render(
        request,
        "stories/story_form.html",
        {"form": form, "pairing": pairing, "stories": [], "story": story},
        status=400 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, token: str) -> HttpResponse:
    """The one-click link. GET shows the question and a button; only the POST answers."""
    found = consent_story(token)
    if found is None:
        return render(request, "stories/consent_invalid.html", status=404)
    story, answer = found
    agent = story.debrief.pairing.agent
    if request.user.is_authenticated and request.user.pk != agent.pk:
        # The link is the agent's: someone else signed in does not answer for them.
        return render(request, "stories/consent_invalid.html", status=403)
    done = False
    closed = story.status == StoryStatus.PUBLISHED
    if request.method == "POST" and not closed:
        try:
            story = story_consent_answer(story=story, give=answer == "give")
            done = True
        except ConsentClosed:
            closed = True
    return render(
        request,
        "stories/consent.html",
        {"story": story, "answer": answer, "done": done, "closed": closed, "agent": agent},
        status=409 if closed and request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def curation(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("stories.curate_story"):
        raise Http404
    settings_row = StoriesSettings.load()
    settings_form = DigestSettingsForm(initial={"digest_to": settings_row.digest_to})
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "settings":
            settings_form = DigestSettingsForm(request.POST)
            if settings_form.is_valid():
                settings_row.digest_to = settings_form.cleaned_data["digest_to"]
                settings_row.save(update_fields=["digest_to"])
                messages.success(request, _("Digest recipients saved."))
                return redirect("stories:curation")
        else:
            verb, _sep, raw_id = action.partition(":")
            story = get_object_or_404(stories_visible_to(request.user), pk=_int_or_404(raw_id))
            try:
                if verb == "include":
                    story_curate(story=story, by=request.user, include=True)
                elif verb == "set_aside":
                    story_curate(story=story, by=request.user, include=False)
                elif verb == "reset":
                    story_uncurate(story=story, by=request.user)
                else:
                    raise Http404
            except ConsentClosed:
                messages.error(request, _("This story was already sent in a digest."))
            return redirect("stories:curation")
    status_filter = request.GET.get("status", "")
    stories = stories_visible_to(request.user).order_by("status", "-created_at", "-id")
    if status_filter in StoryStatus.values:
        stories = stories.filter(status=status_filter)
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(story, story_agent_label(story)) for story in page]
    week = previous_week()
    return render(
        request,
        "stories/curation.html",
        {
            "page": page,
            "rows": rows,
            "settings_form": settings_form,
            "week": week,
            "digests": Digest.objects.order_by("-week_start")[:10],
            "statuses": StoryStatus.choices,
            "status_filter": status_filter,
            "query": f"status={status_filter}&" if status_filter else "",
        },
        status=400 if settings_form.errors else 200,
    )


def _int_or_404(raw: str) -> int:
    try:
        return int(raw)
    except ValueError as error:
        raise Http404 from error


@login_required
def digest_pdf_view(request: HttpRequest, week: str) -> HttpResponse:
    if not request.user.has_perm("stories.view_digest"):
        raise Http404
    try:
        week_bounds(week)
    except ValueError as error:
        raise Http404 from error
    content = digest_content(week, Digest.objects.filter(week=week).first())
    pdf = digest_pdf(content, language=request.LANGUAGE_CODE or "en")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="digest-{week}.pdf"'
    return response


@login_required
def you_said_we_did_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(you_said_we_did(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stories/you_said_we_did.html", {"page": page, "query": ""})
