// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Auto-submit the directory's sort selector when JavaScript is available.
  document.addEventListener("DOMContentLoaded", function () {
    var sort = document.querySelector("[data-autosubmit]");
    if (sort && sort.form) {
      sort.addEventListener("change", function () { sort.form.submit(); });
    }
    // Confirm destructive team actions.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
