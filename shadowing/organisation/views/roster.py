"""The roster import page: upload, preview, confirm.

Uploading runs the import as a dry run and shows what it would change, field by field, with
every warning and error; nothing is written. "Confirm import" then applies the very bytes that
were previewed (kept server-side by `upload_stash`, in the database, so any web process can
confirm), checking them again against the roster as it is by then: if someone changed it in
between, the errors show instead.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shadowing.organisation.roster import importer
from shadowing.organisation.roster.forms import RosterUploadForm
from shadowing.organisation.roster.result import RosterImportResult
from shadowing.organisation.upload_stash import stash_drop, stash_get, stash_put

TEMPLATE = "shadowing/roster_import.html"
STASH_PURPOSE = "roster-import"
# A preview lists this many changes; the counts above it cover the rest.
PREVIEW_CHANGES = 500


@login_required
@permission_required("shadowing.import_roster", raise_exception=True)
@require_http_methods(["GET", "POST"])
def roster_import(request):
    if request.method == "GET":
        return render(request, TEMPLATE, {"form": RosterUploadForm()})
    action = request.POST.get("action", "preview")
    if action == "confirm":
        return _confirm(request)
    if action == "cancel":
        stash_drop(request=request, purpose=STASH_PURPOSE)
        messages.info(request, _("Import cancelled; nothing was written."))
        return redirect("shadowing:roster-import")

    form = RosterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form})
    files = form.files_by_name()
    result = importer.roster_import(files=files, dry_run=True)
    token = ""
    if result.ok and result.changed:
        token = stash_put(request=request, purpose=STASH_PURPOSE, files=files)
    else:
        stash_drop(request=request, purpose=STASH_PURPOSE)
    return _preview(request, result, token=token)


def _confirm(request):
    files = stash_get(request=request, purpose=STASH_PURPOSE, key=request.POST.get("upload", ""))
    if files is None:
        messages.error(
            request,
            _(
                "This preview has expired or was replaced by another upload; "
                "upload the files again."
            ),
        )
        return redirect("shadowing:roster-import")
    result = importer.roster_import(files=files, dry_run=False)
    stash_drop(request=request, purpose=STASH_PURPOSE)
    if not result.ok:
        # The roster changed since the preview; show why, nothing was written.
        return _preview(request, result, token="")
    messages.success(
        request, _("Roster imported: %(summary)s.") % {"summary": "; ".join(result.summary_lines())}
    )
    return redirect("shadowing:roster-import")


def _preview(request, result: RosterImportResult, *, token: str):
    context = {
        "form": RosterUploadForm(),
        "result": result,
        "changes": result.changes[:PREVIEW_CHANGES],
        "more_changes": max(0, len(result.changes) - PREVIEW_CHANGES),
        "upload_token": token,
    }
    return render(request, TEMPLATE, context)
