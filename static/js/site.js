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
    // Data tables become cards on a phone (site.css, under 600 px): each cell gets its
    // column's header as data-label, shown before the value. Without this, tables scroll.
    document.querySelectorAll(".table-wrap table").forEach(function (table) {
      var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      if (!headers.length) { return; }
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (headers[index] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", headers[index]);
          }
        });
      });
      table.classList.add("table-cards");
    });
    // "Set every kind" on the notification preferences also ticks the choices below it
    // at once, before the page comes back.
    var setAll = document.getElementById("id_set_all");
    if (setAll) {
      setAll.addEventListener("change", function () {
        document.querySelectorAll('.preferences-form input[type="radio"][value="' + setAll.value + '"]').forEach(function (radio) {
          radio.checked = true;
        });
      });
    }
    // Confirm destructive team actions.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
