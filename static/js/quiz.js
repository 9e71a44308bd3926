// Keyboard shortcuts and focus for quiz questions. Without this file the quiz still works:
// every answer is a submit button and every "next" is a plain link.
(function () {
  "use strict";

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

  // After an answer, focus the feedback heading; after "next", the new question's heading.
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-autofocus]") || document.querySelector("[data-focus-on-swap]");
    if (target) target.focus();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var feedback = document.querySelector("[data-autofocus]");
    if (feedback) feedback.focus();
  });
})();
