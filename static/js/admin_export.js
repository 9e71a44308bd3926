// The export page's "Select all" toggle, wired here instead of an inline onchange attribute
// (blocked by our Content-Security-Policy). onSelectToggleChange comes from
// django-import-export's export_selectable_fields.js.
document.addEventListener("DOMContentLoaded", () => {
  for (const toggle of document.querySelectorAll("input.select-toggle")) {
    toggle.addEventListener("change", (event) => {
      if (typeof window.onSelectToggleChange === "function") {
        window.onSelectToggleChange(event);
      }
    });
  }
});
