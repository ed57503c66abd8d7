/* The debrief page without a framework. The form works without this script; the script adds:
   - live warnings when a text looks like customer data (debrief-sensitive.js);
   - autosave, to the server and to this browser's storage, so that a dropped connection or a
     closed tab loses nothing (the copy kept here is restored on the next visit and sent);
   - adding and removing barriers in place;
   - checking before submit, with messages next to the fields and a summary that takes focus.
   Its words come from the page (#debrief-text), in the page's language. */
(function () {
  "use strict";
  var textNode = document.getElementById("debrief-text");
  var T = textNode ? JSON.parse(textNode.textContent) : {};
  function say(key, values) {
    return String(T[key] || "").replace(/\{(\w+)\}/g, function (m, name) {
      return values && name in values ? values[name] : m;
    });
  }
  var storage = null;
  try { storage = window.localStorage; storage.getItem("x"); } catch (e) { storage = null; }

  /* Customer-data warnings ------------------------------------------------------------------ */
  function warn(field) {
    var out = document.getElementById(field.id + "-warning");
    if (!out || !window.DebriefSensitive) { return; }
    var kinds = window.DebriefSensitive.kinds(field.value).map(function (k) { return (T.kinds || {})[k] || k; });
    var text = kinds.length ? say("warning", { what: kinds.join(", ") }) : "";
    if (out.textContent !== text) { out.textContent = text; }
  }
  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-sensitive")) { warn(event.target); }
  });

  var clear = document.querySelector("[data-clear-draft]");
  if (clear && storage) { storage.removeItem(clear.getAttribute("data-clear-draft")); }

  var form = document.getElementById("debrief-form");
  if (!form) { return; }
  var list = document.getElementById("barrier-list");
  var template = document.getElementById("barrier-template");
  var statusNode = document.getElementById("save-status");
  var countNode = document.getElementById("barrier-count");
  var url = form.getAttribute("data-autosave-url");
  var key = form.getAttribute("data-storage-key");
  var revision = parseInt(form.getAttribute("data-revision"), 10) || 0;
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var timer = null, inflight = false, again = false, dirty = false, locked = false;

  function status(text) { statusNode.textContent = text; }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function rows() { return Array.prototype.slice.call(list.querySelectorAll("[data-barrier]")); }
  function field(row, name) { return row.querySelector("[name$='-" + name + "']"); }
  var NAMES = ["title", "description", "category", "department", "severity", "frequency", "suggested_fix"];

  function collect() {
    var rating = form.querySelector("[name=rating]:checked");
    return {
      overall: form.elements.overall.value,
      rating: rating ? parseInt(rating.value, 10) : null,
      commitment: form.elements.commitment.value,
      barriers: rows().map(function (row) {
        var b = { key: field(row, "key").value || null };
        NAMES.forEach(function (n) { b[n] = field(row, n).value; });
        b.severity = b.severity ? parseInt(b.severity, 10) : null;
        return b;
      }).filter(function (b) {
        return NAMES.some(function (n) { return b[n]; });
      })
    };
  }

  function keep(body) {
    if (!storage) { return; }
    try {
      storage.setItem(key, JSON.stringify({ base: revision, dirty: dirty, body: body, at: Date.now() }));
    } catch (e) { /* storage full: the server copy still counts */ }
  }

  function renumber() {
    rows().forEach(function (row, i) {
      row.querySelector("[data-barrier-number]").textContent = say("barrier", { n: i + 1 });
    });
  }

  function addBarrier(values) {
    var index = 0;
    rows().forEach(function (row) { index = Math.max(index, parseInt(row.getAttribute("data-index"), 10) + 1 || 0); });
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.querySelector("[data-barrier]");
    list.appendChild(row);
    field(row, "key").value = (values && values.key) || uuid();
    if (values) {
      NAMES.forEach(function (n) { if (values[n] !== null && values[n] !== undefined) { field(row, n).value = values[n]; } });
    }
    renumber();
    return row;
  }

  function changed() {
    if (locked) { return; }
    dirty = true;
    keep(collect());
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  }

  function save() {
    if (!dirty || locked) { return; }
    if (inflight) { again = true; return; }
    if (navigator.onLine === false) { status(say("offline")); return; }
    inflight = true; again = false;
    var body = collect();
    dirty = false;
    status(say("saving"));
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) { return [response.status, data]; });
    }).then(function (result) {
      var code = result[0], data = result[1];
      if (code === 200) {
        revision = data.revision;
        form.setAttribute("data-revision", String(revision));
        var time = data.saved_time || new Date().toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
        status(say("saved", { time: time }));
        keep(dirty ? collect() : body);
      } else if (code === 409) {
        locked = true;
        if (storage) { storage.removeItem(key); }
        status(say("submitted"));
      } else {
        dirty = true; keep(body); status(say("failed"));
      }
    }, function () {
      dirty = true; keep(body); status(say("offline"));
    }).then(function () {
      inflight = false;
      if (again || (dirty && navigator.onLine !== false)) { clearTimeout(timer); timer = setTimeout(save, 1500); }
    });
  }

  /* Restore what was typed here and never reached the server. */
  (function restore() {
    if (!storage) { return; }
    var saved = null;
    try { saved = JSON.parse(storage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.body) { return; }
    if (!saved.dirty || saved.base < revision) { storage.removeItem(key); return; }
    var body = saved.body;
    form.elements.overall.value = body.overall || "";
    form.elements.commitment.value = body.commitment || "";
    Array.prototype.forEach.call(form.querySelectorAll("[name=rating]"), function (r) {
      r.checked = body.rating !== null && String(body.rating) === r.value;
    });
    rows().forEach(function (row) { row.parentNode.removeChild(row); });
    (body.barriers || []).forEach(function (b) { addBarrier(b); });
    Array.prototype.forEach.call(form.querySelectorAll("[data-sensitive]"), warn);
    status(say("restored"));
    dirty = true;
    save();
  })();

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  window.addEventListener("online", function () { if (dirty) { save(); } });
  window.addEventListener("offline", function () { status(say("offline")); });

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button.hasAttribute("data-add-barrier")) {
      event.preventDefault();
      var row = addBarrier(null);
      field(row, "title").focus();
      countNode.textContent = say("added", { n: rows().length });
      changed();
    } else if (button.hasAttribute("data-remove-barrier")) {
      event.preventDefault();
      var old = button.closest("[data-barrier]");
      var all = rows(), at = all.indexOf(old);
      old.parentNode.removeChild(old);
      renumber();
      var rest = rows();
      var next = rest[Math.min(at, rest.length - 1)];
      (next ? field(next, "title") : form.querySelector("[data-add-barrier]")).focus();
      countNode.textContent = say("removed");
      changed();
    }
  });

  /* Check before submitting: messages next to the fields, and a summary that takes focus. */
  function mark(input, errorId, message) {
    var out = document.getElementById(errorId);
    if (!out) { return; }
    out.textContent = message || "";
    out.hidden = !message;
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id !== errorId; });
    if (message) { described.push(errorId); input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    if (described.length) { input.setAttribute("aria-describedby", described.join(" ")); } else { input.removeAttribute("aria-describedby"); }
  }
  /* A message goes as soon as its field is right again, with aria-invalid and the field's line
     in the summary: a "fix this" beside a field already fixed reads as a new problem. */
  var REQUIRED_IN_ROW = ["title", "category", "department", "severity", "frequency"];
  function fieldOk(input) {
    if (input.name === "rating") { return form.querySelector("[name=rating]:checked") !== null; }
    if (!input.checkValidity()) { return false; }
    var row = input.closest("[data-barrier]");
    if (row) {
      var blank = !NAMES.some(function (n) { return field(row, n).value; });
      var name = input.name.slice(input.name.lastIndexOf("-") + 1);
      return blank || REQUIRED_IN_ROW.indexOf(name) < 0 || input.value.trim() !== "";
    }
    return !input.hasAttribute("data-required") || input.value.trim() !== "";
  }
  function unlist(id) {
    ["js-error-summary", "error-summary"].forEach(function (summaryId) {
      var summary = document.getElementById(summaryId);
      if (!summary) { return; }
      Array.prototype.forEach.call(summary.querySelectorAll("a[href='#" + id + "']"), function (a) {
        var li = a.closest("li"); if (li) { li.parentNode.removeChild(li); }
      });
      if (!summary.querySelector("li")) { summary.hidden = true; }
    });
  }
  function recheck(input) {
    if (input.name === "rating") {
      if (!fieldOk(input)) { return; }
      Array.prototype.forEach.call(form.querySelectorAll("[name=rating]"), function (r) { r.removeAttribute("aria-invalid"); unlist(r.id); });
      var ratingError = document.getElementById("id_rating-error");
      ratingError.textContent = ""; ratingError.hidden = true;
      return;
    }
    var row = input.closest("[data-barrier]");
    // A barrier emptied of everything is no barrier: none of its fields is wrong any more.
    var inputs = row ? NAMES.map(function (n) { return field(row, n); }) : [input];
    inputs.forEach(function (one) {
      var out = one && document.getElementById(one.id + "-error");
      if (!out || (out.hidden && one.getAttribute("aria-invalid") !== "true")) { return; }
      if (fieldOk(one)) { mark(one, one.id + "-error", ""); unlist(one.id); }
    });
  }
  form.addEventListener("input", function (event) { if (event.target.name) { recheck(event.target); } });
  form.addEventListener("change", function (event) { if (event.target.name) { recheck(event.target); } });

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (!submitter || !submitter.hasAttribute("data-submit")) { return; }
    var problems = [];
    function need(input, errorId, ok, label) {
      mark(input, errorId, ok ? "" : say("required"));
      if (!ok) { problems.push([input.id, label]); }
    }
    var overall = form.elements.overall;
    need(overall, "id_overall-error", overall.value.trim() !== "", overall.labels[0].firstChild.textContent.trim());
    var radios = form.querySelectorAll("[name=rating]");
    var rated = form.querySelector("[name=rating]:checked") !== null;
    Array.prototype.forEach.call(radios, function (r) { if (rated) { r.removeAttribute("aria-invalid"); } else { r.setAttribute("aria-invalid", "true"); } });
    var ratingError = document.getElementById("id_rating-error");
    ratingError.textContent = rated ? "" : say("required"); ratingError.hidden = rated;
    if (!rated) { problems.push([radios[0].id, form.querySelector(".rating legend").firstChild.textContent.trim()]); }
    rows().forEach(function (row, i) {
      var blank = !NAMES.some(function (n) { return field(row, n).value; });
      ["title", "category", "department", "severity", "frequency"].forEach(function (n) {
        var input = field(row, n);
        need(input, input.id + "-error", blank || input.value.trim() !== "",
          say("barrier", { n: i + 1 }) + ": " + input.labels[0].firstChild.textContent.trim());
      });
    });
    var summary = document.getElementById("js-error-summary");
    if (!problems.length) { summary.hidden = true; return; }
    event.preventDefault();
    summary.innerHTML = "";
    var heading = document.createElement("h2"); heading.textContent = say("fix"); summary.appendChild(heading);
    var ul = document.createElement("ul");
    problems.forEach(function (p) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "#" + p[0]; a.textContent = p[1]; li.appendChild(a); ul.appendChild(li);
    });
    summary.appendChild(ul);
    summary.hidden = false;
    var server = document.getElementById("error-summary");
    if (server) { server.hidden = true; }
    summary.focus();
  });
})();
