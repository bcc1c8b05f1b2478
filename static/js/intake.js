/* Intake page, keyboard first (no framework):
 * - the procedure search is a combobox: typing suggests, ↑/↓ move, Enter picks (never submits),
 *   Esc closes; picking loads the appointment preview and the checklist of papers, then puts
 *   the cursor in the applicant's name;
 * - Ctrl+Enter receives from anywhere (refuses from inside the refusal box, which asks first);
 *   Enter in a one-line field moves to the next field instead of submitting half a dossier;
 * - the received time defaults to now and stays out of the Tab order until it is changed
 *   (Alt+T or a click reaches it).
 */
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) { return; }
  var query = document.getElementById("id_procedure_query");
  var hidden = form.querySelector("input[name=procedure_version]");
  var list = document.getElementById("procedure-suggestions");
  var chosen = document.getElementById("procedure-chosen");
  var preview = document.getElementById("due-preview");
  var documents = document.getElementById("intake-documents-lines");
  var backdate = document.getElementById("backdate");
  var channel = form.querySelector("[name=channel]");
  var receivedAt = form.querySelector("[name=received_at]");
  var applicantName = form.querySelector("[name=applicant_name]");
  var receiveButton = form.querySelector("button[value=receive]");
  var refusal = document.getElementById("refusal");
  var timer = null;
  var requestNumber = 0;     // only the answer to the latest search is shown
  var answeredNumber = 0;
  var pickWhenShown = false; // Enter pressed before the suggestions arrived
  var active = -1;
  var submitting = false;

  function fetchText(url) {
    return fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) { return response.text(); });
  }

  function options() {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
  }

  function listOpen() {
    return options().length > 0;
  }

  function closeList() {
    list.innerHTML = "";
    active = -1;
    query.setAttribute("aria-expanded", "false");
    query.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var all = options();
    if (!all.length) { return; }
    active = (index + all.length) % all.length;
    all.forEach(function (option, i) {
      option.classList.toggle("active", i === active);
      option.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    query.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }

  function searchPending() {
    return timer !== null || answeredNumber !== requestNumber;
  }

  function suggest() {
    clearTimeout(timer);
    timer = null;
    var q = query.value.trim();
    var number = ++requestNumber;
    if (!q) { answeredNumber = number; closeList(); return; }
    // The desk's competence depends on the received day: the suggestions follow the form's.
    fetchText(form.dataset.suggestUrl + "?" + new URLSearchParams({ q: q, received_at: receivedAt.value }))
      .then(function (html) {
        if (number !== requestNumber) { return; }
        answeredNumber = number;
        list.innerHTML = html;
        active = -1;
        options().forEach(function (option, i) {
          option.id = "procedure-option-" + i;
          option.tabIndex = -1;
        });
        query.setAttribute("aria-expanded", listOpen() ? "true" : "false");
        if (pickWhenShown) {
          pickWhenShown = false;
          if (listOpen()) { pick(options()[0]); }
        }
      })
      .catch(function () {
        if (number === requestNumber) { answeredNumber = number; pickWhenShown = false; }
      });
  }

  function refreshPreview() {
    if (!hidden.value) { preview.innerHTML = ""; return; }
    var params = new URLSearchParams({
      procedure_version: hidden.value, channel: channel.value, received_at: receivedAt.value
    });
    fetchText(form.dataset.previewUrl + "?" + params).then(function (html) {
      preview.innerHTML = html;
      if (preview.querySelector("[data-testid=backdate-warning]")) { backdate.hidden = false; }
    });
  }

  function loadDocuments(versionId) {
    fetchText(form.dataset.documentsUrl + "?" + new URLSearchParams({ procedure_version: versionId }))
      .then(function (html) { if (hidden.value === versionId) { documents.innerHTML = html; } });
  }

  function pick(option) {
    hidden.value = option.dataset.versionId;
    query.value = option.dataset.label;
    query.classList.remove("is-invalid");
    chosen.textContent = option.dataset.label + " · " + option.dataset.time;
    closeList();
    refreshPreview();
    loadDocuments(option.dataset.versionId);
    applicantName.focus();
  }

  query.addEventListener("input", function () {
    hidden.value = "";
    chosen.textContent = "";
    preview.innerHTML = "";
    pickWhenShown = false;
    clearTimeout(timer);
    timer = setTimeout(suggest, 200);
  });

  query.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!listOpen()) { suggest(); return; }
      highlight(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      // Enter in the search picks; it never submits the form.
      event.preventDefault();
      if (active >= 0) { pick(options()[active]); return; }
      if (searchPending()) {
        // Typed ahead of the list: pick the first answer to what is typed now.
        pickWhenShown = true;
        if (timer) { suggest(); }
        return;
      }
      if (listOpen()) { pick(options()[0]); return; }
      if (query.value.trim() && !hidden.value) { pickWhenShown = true; suggest(); }
    } else if (event.key === "Escape") {
      if (listOpen()) { event.preventDefault(); closeList(); }
    }
  });

  list.addEventListener("click", function (event) {
    var option = event.target.closest("[data-version-id]");
    if (option) { pick(option); }
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== query) { closeList(); }
  });

  // The received time: out of the Tab order until changed; Alt+T reaches it.
  function receivedAtChanged() {
    receivedAt.removeAttribute("tabindex");
    refreshPreview();
  }
  receivedAt.addEventListener("change", receivedAtChanged);
  channel.addEventListener("change", refreshPreview);

  document.addEventListener("keydown", function (event) {
    if (event.altKey && !event.ctrlKey && (event.key === "t" || event.key === "T")) {
      event.preventDefault();
      receivedAt.focus();
      receivedAt.select();
      return;
    }
    if (event.key !== "Enter" || event.target.closest(".modal")) { return; }
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      var inRefusal = refusal.contains(document.activeElement);
      (inRefusal ? refusal.querySelector("button[value=refuse]") : receiveButton).click();
      return;
    }
    // Enter in a one-line field of the form: on to the next field, never a half-typed submit.
    var target = event.target;
    if (target === query || !form.contains(target) || target.tagName !== "INPUT") { return; }
    if (target.type === "checkbox" || target.type === "submit") { return; }
    event.preventDefault();
    var fields = Array.prototype.filter.call(
      form.querySelectorAll("input, select, textarea, button"),
      function (element) {
        return element.tabIndex >= 0 && !element.disabled && element.type !== "hidden" &&
          element.offsetParent !== null;
      }
    );
    var next = fields[fields.indexOf(target) + 1];
    if (next) { next.focus(); }
  });

  // One submit per dossier: a second Ctrl+Enter or click while the first is on its way would
  // receive the same papers twice.
  form.addEventListener("submit", function (event) {
    if (submitting) { event.preventDefault(); return; }
    setTimeout(function () { submitting = !event.defaultPrevented; }, 0);
  });
  window.addEventListener("pageshow", function () { submitting = false; });

  var focusTarget = document.getElementById(form.dataset.focus || "id_procedure_query");
  if (focusTarget && document.activeElement !== focusTarget) { focusTarget.focus(); }
  refreshPreview();
})();
