// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Auto-submit the directory's sort selector when JavaScript is available.
  document.addEventListener("DOMContentLoaded", function () {
    var sort = document.querySelector("[data-autosubmit]");
    if (sort && sort.form) {
      sort.addEventListener("change", function () { sort.form.submit(); });
    }
    // Warn before leaving a form with unsaved typing (the practice form). Its controls
    // outside the <form> element (form="id": the Attachments box) count too.
    document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
      var dirty = false;
      var mark = function () { dirty = true; };
      form.addEventListener("input", mark);
      form.addEventListener("change", mark);
      if (form.id) {
        document.querySelectorAll('[form="' + form.id + '"]').forEach(function (control) {
          control.addEventListener("change", mark);
        });
      }
      form.addEventListener("submit", function () { dirty = false; });
      window.addEventListener("beforeunload", function (event) {
        if (dirty) { event.preventDefault(); event.returnValue = ""; }
      });
    });
    // Confirm destructive team actions.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
