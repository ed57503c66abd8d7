/* Follows a pairing run: polls the run's JSON (the API's pairing-runs/{id}/) and moves the
   <progress data-url> bar and its message; reloads the page when the run ends, so that the
   new pairings show. Without JavaScript the page refreshes itself instead (<noscript>). */
(function () {
  "use strict";
  var bar = document.querySelector("progress[data-url]");
  if (!bar || !window.fetch) {
    return;
  }
  var message = document.getElementById(bar.getAttribute("data-message"));
  var delay = 1000;

  function poll() {
    fetch(bar.getAttribute("data-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (run) {
        bar.value = run.progress;
        bar.textContent = run.progress + "%";
        if (message && run.message) {
          message.textContent = run.message;
        }
        if (run.status === "done" || run.status === "failed") {
          window.location.reload();
          return;
        }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // A hiccup (a restart, the network): try again, less often.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
