/* Ask before a step that cannot be undone.
 *
 * A submit button with data-confirm="<what cannot be undone>" does not submit its form at once:
 * the dialog of templates/dossiers/partials/confirm_dialog.html (included once on the page)
 * shows the message; Cancel, Esc or the close button change nothing, Confirm submits the form
 * with that button. It catches the form's submit event, so a click, Enter or a script's
 * form.requestSubmit(button) are all asked (form.submit() bypasses every submit handler: don't
 * use it). The button's label is the Confirm button's, or data-confirm-ok when given.
 *
 * Without JavaScript nothing asks: a step that must stay safe then carries a required box
 * <input type="checkbox" data-confirm-checkbox> checked by the server; with JavaScript the box
 * is hidden and Confirm ticks it, so the officer confirms once.
 */
(function () {
  "use strict";
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || !window.bootstrap) { return; }
  var message = dialog.querySelector("[data-confirm-message]");
  var okButton = dialog.querySelector("[data-confirm-ok]");
  var cancelButton = dialog.querySelector("[data-confirm-cancel]");
  var modal = window.bootstrap.Modal.getOrCreateInstance(dialog);
  var pending = null;     // the form and button waiting for an answer
  var confirmed = null;   // the button whose next submit goes through

  document.querySelectorAll("[data-confirm-checkbox]").forEach(function (box) {
    // A hidden required box would block the form before the dialog could open.
    box.required = false;
    var wrapper = box.closest(".form-check") || box.parentElement;
    // Crispy wraps the box twice: the outer block carries the margin.
    if (wrapper.parentElement.childElementCount === 1) { wrapper = wrapper.parentElement; }
    wrapper.hidden = true;
  });

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.hasAttribute("data-confirm")) { return; }
    if (confirmed === button) { confirmed = null; return; }
    event.preventDefault();
    pending = { form: event.target, button: button };
    message.textContent = button.getAttribute("data-confirm");
    okButton.textContent = button.getAttribute("data-confirm-ok") || button.textContent.trim();
    modal.show();
  });

  okButton.addEventListener("click", function () {
    if (!pending) { return; }
    var answer = pending;
    pending = null;
    answer.form.querySelectorAll("[data-confirm-checkbox]").forEach(function (box) {
      box.checked = true;
    });
    confirmed = answer.button;
    modal.hide();
    answer.form.requestSubmit(answer.button);
  });

  // The safe answer has the focus: Enter pressed twice does not take the step.
  dialog.addEventListener("shown.bs.modal", function () { cancelButton.focus(); });
  dialog.addEventListener("hidden.bs.modal", function () {
    if (pending) {
      pending.button.focus();
      pending = null;
    }
  });
})();
