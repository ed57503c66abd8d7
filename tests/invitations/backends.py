"""Mail backends that misbehave on purpose, at the edge of the process (the mail transport).

Both deliver into `django.core.mail.outbox` as the test backend does. `plan` is a list of
what to do with each message in turn: "ok", "fail" (the server refuses: nothing delivered),
"kill" (the worker dies before the server has it) or "kill-after" (the worker dies once the
server has accepted it, before the log row is marked). Past the plan, everything is "ok".
"""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class WorkerKilled(BaseException):
    """Not an Exception: like SIGKILL or a timeout, nothing in the worker catches it."""


class ScriptedBackend(EmailBackend):
    plan: list[str] = []
    calls = 0

    def send_messages(self, messages):
        from django.core import mail

        sent = 0
        for message in messages:
            step = ScriptedBackend.plan.pop(0) if ScriptedBackend.plan else "ok"
            ScriptedBackend.calls += 1
            if step == "fail":
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            if step == "kill":
                raise WorkerKilled
            message.message()  # as the real backends do: build it, which may raise
            mail.outbox.append(message)
            sent += 1
            if step == "kill-after":
                raise WorkerKilled
        return sent
