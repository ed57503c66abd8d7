from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation

from shadowing import clock

SESSION_SIGNED_IN_AT = "signed_in_at"
SESSION_SEEN_AT = "seen_at"
# Left in the fresh anonymous session after a timeout, so the sign-in page can say why.
SESSION_TIMED_OUT = "timed_out"


class SessionTimeoutMiddleware:
    """Signs a person out after `SESSION_IDLE_SECONDS` without a request, and in any case
    `SESSION_ABSOLUTE_SECONDS` after they signed in. API calls by token carry no session and
    are not affected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            now = clock.timestamp()
            signed_in_at = request.session.get(SESSION_SIGNED_IN_AT, now)
            seen_at = request.session.get(SESSION_SEEN_AT, now)
            if (
                now - seen_at > settings.SESSION_IDLE_SECONDS
                or now - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
                request.session[SESSION_TIMED_OUT] = True
            else:
                request.session.setdefault(SESSION_SIGNED_IN_AT, signed_in_at)
                # Written at most once a minute, so that reads do not all turn into writes.
                if now - seen_at > 60 or SESSION_SEEN_AT not in request.session:
                    request.session[SESSION_SEEN_AT] = now
        return self.get_response(request)


class PersonLanguageMiddleware:
    """The interface speaks the language chosen in the person's profile; anonymous visitors get
    what their browser asks for (LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(user, "preferred_language"):
            language = user.preferred_language
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
