// Keyboard shortcuts and focus for quiz questions. Without this file the quiz still works:
// every answer is a submit button and every "next" is a plain link.
(function () {
  "use strict";

  // htmx requests that change something carry the CSRF token from its cookie, so that pages
  // every visitor sees alike embed nothing per visitor (a form posted by htmx also sends the
  // token of its own hidden field).
  // "Log out" is a link to a page that asks to confirm, which htmx posts at once instead;
  // without a token to send, or when the post is refused, the link is followed to that page.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb === "get") return;
    var token = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (token) {
      event.detail.headers["X-CSRFToken"] = decodeURIComponent(token[1]);
    } else if (event.detail.elt.matches("[data-logout]")) {
      event.preventDefault();
      window.location.assign(event.detail.elt.href);
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.elt.matches("[data-logout]")) window.location.assign(event.detail.elt.href);
  });

  function isTyping(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (/^[1-4]$/.test(event.key)) {
      var button = document.querySelector('[data-choice-key="' + event.key + '"]:not([disabled])');
      if (button) {
        event.preventDefault();
        button.click();
      }
    } else if (event.key === "Enter" && !event.target.closest("a, button")) {
      var next = document.querySelector("[data-next]");
      if (next) {
        event.preventDefault();
        next.click();
      }
    }
  });

  // The number keys work now: show their hints (CSS hides them until <html> has this class),
  // but only where there is a keyboard to press them with, guessed from a fine pointer (a
  // mouse or trackpad). Touch screens and pages without this script show no hints.
  var finePointer = window.matchMedia("(pointer: fine)");
  function showKeyHints() {
    document.documentElement.classList.toggle("answer-keys", finePointer.matches);
  }
  showKeyHints();
  finePointer.addEventListener("change", showKeyHints);

  // After an answer, focus the feedback heading; after "next", the new question's heading.
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-autofocus]") || document.querySelector("[data-focus-on-swap]");
    if (target) target.focus();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var feedback = document.querySelector("[data-autofocus]");
    if (feedback) feedback.focus();
  });

  // While the database restarts, an answer gets a 503 with Retry-After. The same answer is
  // sent once more after that pause; if it fails again, the page says so under the choices and
  // the chosen button stays marked, so pressing it again sends the same answer. Nothing is
  // lost either way: the server records an answer once, whatever is sent twice.
  var RETRYING = "We couldn’t send your answer just now. Trying again…";
  var FALLBACK = "We couldn’t send your answer just now. Please try again in a moment.";

  function retryDelay(xhr) {
    var seconds = parseInt(xhr.getResponseHeader("Retry-After"), 10);
    return (isNaN(seconds) ? 2 : Math.min(Math.max(seconds, 0), 10)) * 1000;
  }

  function unavailableMessage(xhr) {
    var page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var message = page.querySelector("[data-unavailable-message]");
    return message ? message.textContent.trim() : FALLBACK;
  }

  function setButtons(form, disabled) {
    form.querySelectorAll("button").forEach(function (button) { button.disabled = disabled; });
  }

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var form = event.detail.elt;
    if (xhr.status !== 503 || !form.matches || !form.matches("form.choices")) return;
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    var chosen = trigger && trigger.submitter;
    var status = form.querySelector("[data-answer-status]");
    form.querySelectorAll(".choice--kept").forEach(function (button) {
      button.classList.remove("choice--kept");
    });
    if (chosen) chosen.classList.add("choice--kept");

    if (form.dataset.retried !== "yes" && chosen) {
      form.dataset.retried = "yes";
      if (status) status.textContent = RETRYING;
      form.setAttribute("aria-busy", "true");
      // htmx enables the buttons again once this response is handled; keep them off until the
      // retry, so that a second press cannot overtake it.
      setTimeout(function () { setButtons(form, true); }, 0);
      setTimeout(function () {
        form.removeAttribute("aria-busy");
        if (!form.isConnected) return;
        setButtons(form, false);
        chosen.click();
      }, retryDelay(xhr));
      return;
    }
    delete form.dataset.retried;
    if (status) {
      var term = chosen && chosen.querySelector(".choice__term");
      status.textContent = unavailableMessage(xhr) +
        (term ? " Your choice, " + term.textContent.trim() + ", is kept: press it again to send it." : "");
    }
  });
})();
