"""Coordinators' pages for programmes: list, create/edit, the programme page with its lifecycle,
the availability upload with its preview, and the pairings download. Each view only adapts:
the services decide."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shadowing.organisation.upload_stash import stash_drop, stash_get, stash_put
from shadowing.programmes import lifecycle
from shadowing.programmes.availability.importer import availability_import
from shadowing.programmes.export import pairings_export_rows
from shadowing.programmes.forms import AvailabilityUploadForm, ProgrammeForm
from shadowing.programmes.models import Programme, ProgrammeStatus
from shadowing.programmes.pairing_models import PairingRunStatus
from shadowing.programmes.selectors import (
    pairings_visible_to,
    programme_counts,
    programme_latest_run,
    programmes_visible_to,
)
from shadowing.programmes.series import wave_number
from shadowing.programmes.services import (
    TRANSITIONS,
    programme_create,
    programme_transition,
    programme_update,
)
from shadowing.programmes.store.runs import pairing_run_queue, unpaired_message
from shadowing.programmes.views.blackouts import blackouts_context

# Publishing sends the invitations: it has its own page, which says how many messages will go
# and asks to confirm (the programme page's invitations panel links to it), not a plain button
# among the lifecycle steps.
# Running and closing follow the clock: running comes by itself on the first day, and closing
# is the next step's button once the last day has passed.
PAGE_HIDDEN_TRANSITIONS = {
    ProgrammeStatus.PUBLISHED,
    ProgrammeStatus.RUNNING,
    ProgrammeStatus.CLOSED,
}


def _programme(request: HttpRequest, slug: str, perm: str) -> Programme:
    """Fetch and authorise in one call: 404 for a programme the person may not see, 403 for one
    they see but may not act on."""
    programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
    if not request.user.has_perm(perm, programme):
        raise PermissionDenied
    return programme


def _stash_purpose(programme: Programme) -> str:
    return f"availability:{programme.pk}"


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("shadowing.view_programme"):
        raise PermissionDenied
    page = Paginator(programmes_visible_to(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "shadowing/programmes/list.html", {"page": page})


@login_required
def programme_create_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("shadowing.add_programme"):
        raise PermissionDenied
    form = ProgrammeForm(request.POST) if request.method == "POST" else ProgrammeForm()
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_create(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Programme %(name)s created.") % {"name": programme.name})
            return redirect("shadowing:programme", slug=programme.slug)
    return render(request, "shadowing/programmes/form.html", {"form": form})


@login_required
def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, "shadowing.change_programme")
    form = ProgrammeForm(request.POST if request.method == "POST" else None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            programme_update(programme=programme, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("shadowing:programme", slug=programme.slug)
    # The form's validation may have changed the instance in memory: show the stored slug.
    return render(
        request,
        "shadowing/programmes/form.html",
        {"form": form, "programme": Programme.objects.get(pk=programme.pk)},
    )


@login_required
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, "shadowing.view_programme")
    user = request.user
    context = {"programme": programme, "wave": wave_number(programme)}
    if user.has_perm("shadowing.change_programme", programme):
        latest_run = programme_latest_run(programme)
        counts = programme_counts(programme)
        context.update(
            counts=counts,
            next_step=lifecycle.next_step(programme, counts, latest_run),
            latest_run=latest_run,
            unpaired=_unpaired_summary(latest_run),
            transitions=[
                (status, ProgrammeStatus(status).label)
                for status in TRANSITIONS[programme.status]
                if status not in PAGE_HIDDEN_TRANSITIONS
            ],
        )
        context.update(blackouts_context(programme))
    else:
        context["own_pairings"] = (
            pairings_visible_to(user).filter(programme=programme).active().order_by("date")[:20]
        )
    return render(request, "shadowing/programmes/detail.html", context)


def _unpaired_summary(run) -> list[tuple[str, int, str]]:
    """(reason, how many, an example in words) for the executives a finished run left short."""
    if run is None or run.status != PairingRunStatus.DONE:
        return []
    summary = []
    for row in run.unpaired.values("reason").annotate(n=Count("id")).order_by("-n", "reason")[:20]:
        example = run.unpaired.filter(reason=row["reason"]).first()
        summary.append((row["reason"], row["n"], unpaired_message(example)))
    return summary


@require_POST
@login_required
def programme_transition_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, "shadowing.transition_programme")
    try:
        programme_transition(programme=programme, to=request.POST.get("status", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The programme is now %(status)s.") % {"status": programme.stage_display.lower()},
        )
    return redirect("shadowing:programme", slug=programme.slug)


@require_POST
@login_required
def programme_pair(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a pairing run in the background; the programme page follows its progress."""
    programme = _programme(request, slug, "shadowing.pair_programme")
    try:
        pairing_run_queue(programme=programme, requested_by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Pairing started."))
    # The review page posts here too, and wants the coordinator back where they were.
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("shadowing:programme", slug=programme.slug)


@login_required
def availability_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload shifts.csv and/or availability.csv: a dry run first, shown as a preview."""
    programme = _programme(request, slug, "shadowing.import_availability")
    form = (
        AvailabilityUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else AvailabilityUploadForm()
    )
    context = {"programme": programme, "form": form}
    if request.method == "POST" and form.is_valid():
        files = form.files_by_name()
        try:
            result = availability_import(programme=programme, files=files, dry_run=True)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            context["result"] = result
            if result.ok:
                context["stash_key"] = stash_put(
                    request=request, purpose=_stash_purpose(programme), files=files
                )
                context["file_names"] = sorted(files)
                return render(request, "shadowing/programmes/availability_preview.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "shadowing/programmes/availability_upload.html", context, status=status)


@require_POST
@login_required
def availability_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Apply the files the coordinator previewed (never a fresh upload)."""
    programme = _programme(request, slug, "shadowing.import_availability")
    purpose = _stash_purpose(programme)
    files = stash_get(request=request, purpose=purpose, key=request.POST.get("key", ""))
    if files is None:
        messages.error(
            request,
            _("That preview has expired or was replaced by a newer one: upload the files again."),
        )
        return redirect("shadowing:availability-upload", slug=programme.slug)
    form = AvailabilityUploadForm()
    try:
        result = availability_import(programme=programme, files=files, dry_run=False)
    except ValidationError as exc:
        form.add_error(None, exc)
        result = None
    # Used or refused, the stash is done: refused files would fail the same way again.
    stash_drop(request=request, purpose=purpose)
    if result is None or not result.ok:
        # The roster or the programme changed between the preview and the confirmation.
        return render(
            request,
            "shadowing/programmes/availability_upload.html",
            {"programme": programme, "form": form, "result": result},
            status=400,
        )
    messages.success(request, _("Imported. ") + "; ".join(result.summary_lines()))
    return redirect("shadowing:programme", slug=programme.slug)


class _Echo:
    """csv.writer wants a file; a streaming response wants the rows back one by one."""

    def write(self, value: str) -> str:
        return value


@login_required
def pairings_download(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    programme = _programme(request, slug, "shadowing.export_pairings")
    writer = csv.writer(_Echo(), lineterminator="\n")
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in pairings_export_rows(programme)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}-pairings.csv"'
    return response
