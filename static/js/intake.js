/* Intake page: procedure type-ahead and the live appointment-date preview (no framework). */
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) { return; }
  var query = document.getElementById("id_procedure_query");
  var hidden = form.querySelector("input[name=procedure_version]");
  var list = document.getElementById("procedure-suggestions");
  var chosen = document.getElementById("procedure-chosen");
  var preview = document.getElementById("due-preview");
  var channel = form.querySelector("[name=channel]");
  var receivedAt = form.querySelector("[name=received_at]");
  var timer = null;

  function fetchText(url) {
    return fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) { return response.text(); });
  }

  function suggest() {
    var q = query.value.trim();
    if (!q) { list.innerHTML = ""; return; }
    // The desk's competence depends on the received day: the suggestions follow the form's.
    fetchText(form.dataset.suggestUrl + "?" + new URLSearchParams({ q: q, received_at: receivedAt.value }))
      .then(function (html) { list.innerHTML = html; });
  }

  function refreshPreview() {
    if (!hidden.value) { preview.innerHTML = ""; return; }
    var params = new URLSearchParams({
      procedure_version: hidden.value, channel: channel.value, received_at: receivedAt.value
    });
    fetchText(form.dataset.previewUrl + "?" + params).then(function (html) { preview.innerHTML = html; });
  }

  query.addEventListener("input", function () {
    hidden.value = "";
    chosen.textContent = "";
    preview.innerHTML = "";
    clearTimeout(timer);
    timer = setTimeout(suggest, 250);
  });
  list.addEventListener("click", function (event) {
    var option = event.target.closest("[data-version-id]");
    if (!option) { return; }
    hidden.value = option.dataset.versionId;
    query.value = option.dataset.label;
    chosen.textContent = option.dataset.label + " · " + option.dataset.time;
    list.innerHTML = "";
    refreshPreview();
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== query) { list.innerHTML = ""; }
  });
  channel.addEventListener("change", refreshPreview);
  receivedAt.addEventListener("change", refreshPreview);
  refreshPreview();
})();
